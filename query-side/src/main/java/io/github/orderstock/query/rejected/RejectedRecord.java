package io.github.orderstock.query.rejected;

/**
 * A record of the topic that is not a readable event (not an Axon envelope, an unknown event type, or a payload that
 * does not deserialize). It travels through the projection's processor like an event, so the processor's position
 * moves past it and it is reported exactly where it was met.
 *
 * @param kind    {@code no-envelope}, {@code unknown-type} or {@code unreadable-payload}
 * @param preview the first bytes of the value, for whoever investigates
 */
public record RejectedRecord(String topic, int partition, long offset, String key, String kind, String reason,
                             int size, String preview) {

    String id() {
        return topic + "-" + partition + "@" + offset;
    }
}
