package io.github.orderstock.command.placement;

import java.time.Instant;
import java.util.Optional;

import io.github.orderstock.events.OrderPlacedEvent;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.stereotype.Component;

/**
 * Finds an order's placement in its product's stream by the time it can have happened, reading events by their place
 * in the stream only (the store keys them {@code <productId>/<sequence>}): a search of O(log n) single reads finds the
 * first event of the time window, then the events of the window are read in order, and no others.
 * <p>
 * Timestamps within one stream rise with the sequence up to the clock skew between the instances that wrote them;
 * callers widen the window by more than twice that skew.
 */
@Component
class PlacementSearch {

    /** What a search read: whether it found the placement, and how many events it read to tell. */
    record Result(boolean placed, long probes, long scanned) {
    }

    private final EventStorageEngine events;

    PlacementSearch(EventStorageEngine events) {
        this.events = events;
    }

    /**
     * Whether the product placed the order at a time from {@code from} to {@code to} ({@code null}: up to the end of
     * the stream).
     */
    Result find(String productId, String orderId, Instant from, Instant to) {
        Probe probe = new Probe(productId);
        long first = probe.firstAtOrAfter(from);
        long scanned = 0;
        DomainEventStream stream = events.readEvents(productId, first);
        while (stream.hasNext()) {
            DomainEventMessage<?> event = stream.next();
            scanned++;
            if (to != null && event.getTimestamp().isAfter(to)) {
                break;
            }
            if (event.getPayload() instanceof OrderPlacedEvent placed && placed.orderId().equals(orderId)) {
                return new Result(true, probe.reads, scanned);
            }
        }
        return new Result(false, probe.reads, scanned);
    }

    /** Single events of one stream, read by sequence number. */
    private final class Probe {

        private final String productId;
        private long reads;

        Probe(String productId) {
            this.productId = productId;
        }

        /**
         * The first sequence number whose event is at or after {@code from}, or the one after the stream's end:
         * doubling steps find a bound, a binary search the place.
         */
        long firstAtOrAfter(Instant from) {
            if (atOrAfter(0, from)) {
                return 0;
            }
            long before = 0;
            long step = 1;
            long after;
            while (true) {
                after = before + step;
                if (atOrAfter(after, from)) {
                    break;
                }
                before = after;
                step *= 2;
            }
            while (after - before > 1) {
                long middle = before + (after - before) / 2;
                if (atOrAfter(middle, from)) {
                    after = middle;
                } else {
                    before = middle;
                }
            }
            return after;
        }

        /** True when the event at {@code sequence} is at or after {@code from}, or beyond the stream's end. */
        private boolean atOrAfter(long sequence, Instant from) {
            reads++;
            Optional<Instant> timestamp = timestampOf(sequence);
            return timestamp.map(at -> !at.isBefore(from)).orElse(true);
        }

        private Optional<Instant> timestampOf(long sequence) {
            DomainEventStream stream = events.readEvents(productId, sequence);
            if (!stream.hasNext()) {
                return Optional.empty();
            }
            DomainEventMessage<?> event = stream.next();
            return event.getSequenceNumber() == sequence ? Optional.of(event.getTimestamp()) : Optional.empty();
        }
    }
}
