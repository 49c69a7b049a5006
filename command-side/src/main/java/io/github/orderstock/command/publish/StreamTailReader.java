package io.github.orderstock.command.publish;

import java.util.List;

import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;

/**
 * Reads, by key, the events of a round that are not in memory: after a restart, or when more were waiting than are
 * held. Each stream from its first unacknowledged sequence number on ({@code StreamKeyedStorageStrategy} answers that
 * with lookups of {@code _id}s, never a scan of the store).
 */
final class StreamTailReader {

    private final EventStorageEngine storage;

    StreamTailReader(EventStorageEngine storage) {
        this.storage = storage;
    }

    /** Fills every batch of the round that is to be read from the store, within the round's budget of events. */
    void readMissing(List<StreamBatch> round, int maxBatch) {
        int budget = maxBatch;
        for (StreamBatch batch : round) {
            if (!batch.fromStore) {
                continue;
            }
            DomainEventStream stream = storage.readEvents(batch.aggregateId, batch.from);
            while (stream.hasNext()
                    && batch.events.size() < Math.max(UnpublishedEvents.STORE_READ_SHARE, budget)) {
                batch.events.add(stream.next());
            }
            batch.reachedEnd = !stream.hasNext();
            budget -= batch.events.size();
        }
    }
}
