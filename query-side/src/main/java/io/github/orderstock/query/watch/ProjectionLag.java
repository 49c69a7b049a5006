package io.github.orderstock.query.watch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * How far the projection is behind the topic, per partition: in records (the topic's end minus the next offset the
 * projection takes) and in seconds (how long ago the oldest record it has not taken was appended).
 * <p>
 * The seconds come from the end offsets sampled over time: the first sample whose end lies beyond the next offset to
 * take is the first moment that record was known to be on the topic. That is exact to the sampling interval, needs
 * no read of any record, and a steady stream that the projection keeps up with shows as (near) zero, not as the time
 * since the topic was last idle. Pure state: the sampler feeds it; tests feed it by hand.
 */
final class ProjectionLag {

    /** One partition's lag; {@code next} is the offset of the first record the projection has not taken. */
    record PartitionLag(int partition, long end, long next, long records, double seconds) {
    }

    private record Sample(Instant at, long end) {
    }

    private final Duration keep;
    private final int maxSamples;
    private final Map<TopicPartition, Deque<Sample>> history = new HashMap<>();

    /**
     * @param keep       how far back end offsets are remembered; a lag older than this shows as at least this long
     * @param maxSamples at most this many remembered end offsets per partition
     */
    ProjectionLag(Duration keep, int maxSamples) {
        this.keep = keep;
        this.maxSamples = maxSamples;
    }

    /**
     * Records the topic's end offsets seen at {@code now} and answers each partition's lag behind them.
     *
     * @param next the next offset the projection takes, per partition (missing: it took nothing there yet)
     */
    synchronized List<PartitionLag> update(Instant now, Map<TopicPartition, Long> ends, Map<TopicPartition, Long> next) {
        List<PartitionLag> lags = new ArrayList<>(ends.size());
        ends.forEach((partition, end) -> {
            Deque<Sample> samples = history.computeIfAbsent(partition, p -> new ArrayDeque<>());
            // Only the first moment each end offset was seen matters.
            if (samples.isEmpty() || samples.peekLast().end() != end) {
                samples.addLast(new Sample(now, end));
            }
            while (samples.size() > maxSamples
                    || (samples.size() > 1 && samples.peekFirst().at().isBefore(now.minus(keep)))) {
                samples.removeFirst();
            }
            long taken = Math.min(next.getOrDefault(partition, 0L), end);
            long records = end - taken;
            double seconds = 0;
            if (records > 0) {
                Instant appended = samples.peekFirst().at();
                for (Sample sample : samples) {
                    if (sample.end() > taken) {
                        appended = sample.at();
                        break;
                    }
                }
                seconds = Math.max(0, Duration.between(appended, now).toMillis() / 1000.0);
            }
            lags.add(new PartitionLag(partition.partition(), end, taken, records, seconds));
        });
        lags.sort(Comparator.comparingInt(PartitionLag::partition));
        return lags;
    }
}
