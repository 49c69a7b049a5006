package io.github.orderstock.command.publish;

import java.util.ArrayList;
import java.util.List;

import org.axonframework.eventhandling.DomainEventMessage;

/** One product's share of a send round: its events from {@code from} on, in stream order. */
final class StreamBatch {

    final String aggregateId;
    final long from;
    final List<DomainEventMessage<?>> events;
    /** Not all of them were in memory: they are read by key from the event store before the round is sent. */
    final boolean fromStore;
    /** The stream is probed after a restart: the event store may hold events this process never saw. */
    final boolean probe;
    /** The event store holds nothing after these events (known only for a batch read from the store). */
    boolean reachedEnd;
    /** How many events, from {@code from} on without a gap, the broker acknowledged. */
    int acknowledged;

    private StreamBatch(String aggregateId, long from, List<DomainEventMessage<?>> events, boolean fromStore,
                        boolean probe) {
        this.aggregateId = aggregateId;
        this.from = from;
        this.events = events;
        this.fromStore = fromStore;
        this.probe = probe;
    }

    static StreamBatch inMemory(String aggregateId, long from, List<DomainEventMessage<?>> events) {
        return new StreamBatch(aggregateId, from, events, false, false);
    }

    static StreamBatch fromStore(String aggregateId, long from, boolean probe) {
        return new StreamBatch(aggregateId, from, new ArrayList<>(), true, probe);
    }

    /** The same batch of a stream to be read from the store, from a later sequence number on. */
    StreamBatch from(long later) {
        return fromStore(aggregateId, later, probe);
    }

    /** Every event of the batch was acknowledged. */
    boolean complete() {
        return acknowledged == events.size();
    }

    /** The highest sequence number acknowledged in this batch, or -1 when none was. */
    long acknowledgedUpTo() {
        return acknowledged > 0 ? from + acknowledged - 1 : -1;
    }
}
