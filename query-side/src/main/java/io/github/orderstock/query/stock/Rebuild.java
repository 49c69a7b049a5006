package io.github.orderstock.query.stock;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaTrackingToken;

/**
 * One rebuild of the read model ({@link ReadModel}), as its state document in MongoDB tells it.
 *
 * @param endOffsets the topic's end per partition when it started: it is complete once the projection took every
 *                   record below them
 */
public record Rebuild(State state, Instant startedAt, Map<TopicPartition, Long> endOffsets, Instant completedAt,
                      Set<Integer> segments, Set<Integer> caughtUp) {

    /** The states of a rebuild; {@code SWITCHING} lasts the two renames. */
    public enum State {
        RUNNING, SWITCHING, COMPLETED
    }

    /** Every segment of the projection has taken what the rebuild needs. */
    boolean complete() {
        return caughtUp.containsAll(segments);
    }

    /** Whether a projection at {@code token} has taken every record below the end offsets. */
    boolean reachedBy(TrackingToken token) {
        Map<TopicPartition, Long> positions = WrappedToken.unwrap(token, KafkaTrackingToken.class)
                .map(KafkaTrackingToken::getPositions).orElse(Map.of());
        return endOffsets.entrySet().stream().allMatch(end -> end.getValue() == 0
                || positions.getOrDefault(end.getKey(), -1L) >= end.getValue() - 1);
    }
}
