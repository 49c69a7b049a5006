package io.github.orderstock.command.publish;

import static io.github.orderstock.command.publish.UnpublishedEventsTest.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;

import java.util.List;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.Test;

/** Reading what is not in memory from Axon's in-memory storage engine, by stream and sequence number. */
class StreamTailReaderTest {

    private final InMemoryEventStorageEngine storage = spy(new InMemoryEventStorageEngine());
    private final StreamTailReader reader = new StreamTailReader(storage);

    @Test
    void readsAStreamByKeyFromItsFirstUnacknowledgedEventToItsEnd() {
        storage.appendEvents(events("p", 0, 5));
        StreamBatch batch = StreamBatch.fromStore("p", 2, true);

        reader.readMissing(List.of(batch), 100);

        assertThat(batch.events).extracting(DomainEventMessage::getSequenceNumber).containsExactly(2L, 3L, 4L);
        assertThat(batch.reachedEnd).isTrue();
        verify(storage).readEvents("p", 2L);
    }

    @Test
    void readsNoMoreThanTheRoundsBudgetAndSaysTheStreamGoesOn() {
        storage.appendEvents(events("p", 0, 250));
        StreamBatch batch = StreamBatch.fromStore("p", 0, false);

        reader.readMissing(List.of(batch), 120);

        assertThat(batch.events).hasSize(120);
        assertThat(batch.reachedEnd).isFalse();
    }

    @Test
    void readsEveryStreamAtLeastAShareWhenTheBudgetIsSpent() {
        storage.appendEvents(events("p", 0, 150));
        storage.appendEvents(events("q", 0, 150));
        StreamBatch p = StreamBatch.fromStore("p", 0, false);
        StreamBatch q = StreamBatch.fromStore("q", 0, false);

        reader.readMissing(List.of(p, q), 120);

        assertThat(p.events).hasSize(120);
        assertThat(q.events).hasSize(UnpublishedEvents.STORE_READ_SHARE);
    }

    @Test
    void leavesBatchesHeldInMemoryAlone() {
        StreamBatch held = StreamBatch.inMemory("p", 0, events("p", 0, 1));

        reader.readMissing(List.of(held), 100);

        assertThat(held.events).hasSize(1);
        verify(storage, never()).readEvents("p", 0L);
    }
}
