package io.github.orderstock.query.watch;

import java.time.Instant;
import java.util.List;

import io.github.orderstock.query.replay.ReplayStatus;

/**
 * What the sampler saw at {@code sampledAt}.
 *
 * @param kafkaReachable whether the topic's end offsets could be read this time (else the lag is the last known)
 * @param processedHere  whether this instance runs the projection (else it knows no positions, and no lag)
 * @param lagRecords     records behind, summed over the partitions
 * @param lagSeconds     the largest lag in seconds of any partition
 * @param deadLetters    documents in {@code rejected_records}
 * @param replay         the last replay's status; null when it could not be read
 */
public record WatchStatus(Instant sampledAt, boolean kafkaReachable, boolean processedHere, List<Partition> partitions,
                          long lagRecords, double lagSeconds, long deadLetters, List<DeadLetter> recentDeadLetters,
                          ReplayStatus replay) {

    /** One partition: the topic's end, the next offset the projection takes, and the lag behind the end. */
    public record Partition(int partition, long end, long next, long lagRecords, double lagSeconds) {
    }

    /** The same without the replay, for whoever is not the admin (the replay's status is the admin's, as in the API). */
    public WatchStatus withoutReplay() {
        return new WatchStatus(sampledAt, kafkaReachable, processedHere, partitions, lagRecords, lagSeconds,
                deadLetters, recentDeadLetters, null);
    }

    static final WatchStatus NOTHING_YET = new WatchStatus(null, false, false, List.of(), 0, 0, 0, List.of(), null);
}
