package io.github.orderstock.command.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import io.github.orderstock.events.OrderPlacedEvent;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.junit.jupiter.api.Test;

/** The publisher's state alone: which events a round takes, and how acknowledgements move each stream. */
class UnpublishedEventsTest {

    private static final Duration NO_WAIT = Duration.ofMillis(1);

    private final UnpublishedEvents state = new UnpublishedEvents(100);

    @Test
    void takesTheHeldEventsOfEachStreamInStreamOrder() {
        state.stored(events("p", 0, 3));
        state.stored(events("q", 0, 1));

        List<StreamBatch> round = nextRound();

        assertThat(round).extracting(b -> b.aggregateId, b -> b.from, b -> b.fromStore)
                .containsExactly(tuple("p", 0L, false),
                        tuple("q", 0L, false));
        assertThat(sequences(round.get(0))).containsExactly(0L, 1L, 2L);
        assertThat(state.count()).isEqualTo(4);
    }

    @Test
    void aStreamWithEventsStoredByAnotherInstanceIsReadFromTheStoreFromItsFirstUnpublishedEventOn() {
        state.stored(events("p", 0, 2));
        state.acknowledged(acknowledgedInFull(nextRound()));
        // Another instance stored 2..4; this one stores 5.
        state.stored(events("p", 5, 1));

        List<StreamBatch> round = nextRound();

        assertThat(round).extracting(b -> b.aggregateId, b -> b.from, b -> b.fromStore)
                .containsExactly(tuple("p", 2L, true));
    }

    @Test
    void startsAfterWhatAnotherInstanceRecordedAsPublished() {
        state.stored(events("p", 0, 2));
        state.acknowledged(acknowledgedInFull(nextRound()));
        state.stored(events("p", 5, 1));

        List<StreamBatch> round = state.publishedElsewhere(nextRound(), Map.of("p", 3L, "q", 9L));

        assertThat(round).extracting(b -> b.aggregateId, b -> b.from, b -> b.fromStore)
                .containsExactly(tuple("p", 4L, true));
        assertThat(state.count()).as("4 and 5 wait for the broker").isEqualTo(2);
        assertThat(state.held()).as("5 is still held until it is acknowledged").isEqualTo(1);
    }

    @Test
    void aPositionRecordedElsewhereBehindThisOneChangesNothing() {
        state.stored(events("p", 0, 4));
        state.acknowledged(acknowledgedInFull(nextRound()));
        state.stored(events("p", 6, 1));

        List<StreamBatch> round = state.publishedElsewhere(nextRound(), Map.of("p", 1L));

        assertThat(round).extracting(b -> b.from).containsExactly(4L);
    }

    private static List<StreamBatch> acknowledgedInFull(List<StreamBatch> round) {
        round.forEach(batch -> batch.acknowledged = batch.events.size());
        return round;
    }

    @Test
    void anAcknowledgementGapStopsTheStreamBeforeIt() {
        state.stored(events("p", 0, 3));
        List<StreamBatch> round = nextRound();
        round.get(0).acknowledged = 1;

        long acknowledged = state.acknowledged(round);

        assertThat(acknowledged).isEqualTo(1);
        assertThat(state.count()).isEqualTo(2);
        List<StreamBatch> next = nextRound();
        assertThat(next).hasSize(1);
        assertThat(next.get(0).from).isEqualTo(1);
        assertThat(sequences(next.get(0))).as("sent again from the gap on, still from memory").containsExactly(1L, 2L);
        assertThat(state.held()).isEqualTo(2);
    }

    @Test
    void aStreamAcknowledgedInFullHasNothingMoreToSend() {
        state.stored(events("p", 0, 2));
        List<StreamBatch> round = nextRound();
        round.get(0).acknowledged = 2;

        state.acknowledged(round);

        assertThat(nextRound()).isEmpty();
        assertThat(state.count()).isZero();
        assertThat(state.held()).isZero();
    }

    @Test
    void readsFromTheStoreWhatIsNotHeldInMemory() {
        UnpublishedEvents holdingTwo = new UnpublishedEvents(2);
        holdingTwo.stored(events("p", 0, 5));

        List<StreamBatch> round = holdingTwo.awaitRound(100, NO_WAIT);

        assertThat(holdingTwo.held()).isEqualTo(2);
        assertThat(round).hasSize(1);
        assertThat(round.get(0).fromStore).isTrue();
        assertThat(round.get(0).from).isZero();
        assertThat(round.get(0).events).as("to be read by key").isEmpty();
    }

    @Test
    void aRestartProbesEveryKnownStreamFromItsRecordedPosition() {
        state.probeAfterRestart(Map.of("p", 4L, "q", -1L));
        List<StreamBatch> round = state.awaitRound(2 * UnpublishedEvents.STORE_READ_SHARE, NO_WAIT);

        assertThat(round).allMatch(batch -> batch.fromStore && batch.probe);
        assertThat(round).extracting(b -> b.aggregateId + "@" + b.from).containsExactlyInAnyOrder("p@5", "q@0");
    }

    @Test
    void aProbeEndsOnlyOnceTheStoreHadNothingMoreAndAllWasAcknowledged() {
        state.probeAfterRestart(Map.of("p", -1L));
        StreamBatch probe = nextRound().get(0);
        probe.events.addAll(events("p", 0, 2));
        probe.acknowledged = 2;
        probe.reachedEnd = false;

        state.acknowledged(List.of(probe));
        StreamBatch again = nextRound().get(0);
        again.reachedEnd = true;
        state.acknowledged(List.of(again));

        assertThat(again.probe).isTrue();
        assertThat(again.from).isEqualTo(2);
        assertThat(nextRound()).isEmpty();
    }

    @Test
    void eventsStoredBeforeTheRestartProbeKeepTheRecordedPosition() {
        state.stored(events("p", 0, 4));

        state.probeAfterRestart(Map.of("p", 1L));
        StreamBatch batch = nextRound().get(0);

        assertThat(batch.from).isEqualTo(2);
        assertThat(batch.probe).isTrue();
        assertThat(state.held()).as("events up to the recorded position are let go").isEqualTo(2);
    }

    @Test
    void aRoundTakesAtMostMaxBatchEvents() {
        state.stored(events("p", 0, 3));
        state.stored(events("q", 0, 3));

        List<StreamBatch> round = state.awaitRound(4, NO_WAIT);

        assertThat(round.stream().mapToInt(b -> b.events.size()).sum()).isEqualTo(4);
        assertThat(state.awaitRound(4, NO_WAIT)).as("the rest of q waits until this round is acknowledged").isEmpty();
    }

    @Test
    void aStreamToBeReadFromTheStoreTakesAShareOfTheRoundsBudget() {
        state.probeAfterRestart(Map.of("p", 4L, "q", -1L));

        assertThat(state.awaitRound(UnpublishedEvents.STORE_READ_SHARE, NO_WAIT)).hasSize(1);
    }

    @Test
    void aRoundThatFailedIsTakenAgain() {
        state.probeAfterRestart(Map.of("p", 3L));
        List<StreamBatch> round = nextRound();

        state.retry(round);

        assertThat(nextRound()).extracting(b -> b.from).containsExactly(4L);
    }

    @Test
    void closingWakesARoundThatWaits() {
        state.close();

        long started = System.nanoTime();
        assertThat(state.awaitRound(100, Duration.ofSeconds(30))).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    /** The next round of up to 100 events, without waiting for one. */
    private List<StreamBatch> nextRound() {
        return state.awaitRound(100, NO_WAIT);
    }

    static List<DomainEventMessage<?>> events(String productId, long from, int count) {
        return LongStream.range(from, from + count).<DomainEventMessage<?>>mapToObj(sequence ->
                new GenericDomainEventMessage<>("Product", productId, sequence,
                        new OrderPlacedEvent("o-" + productId + "-" + sequence, productId, 1))).toList();
    }

    private static List<Long> sequences(StreamBatch batch) {
        return batch.events.stream().map(DomainEventMessage::getSequenceNumber).toList();
    }
}
