package io.github.orderstock.query.replay;

import java.time.Instant;

/**
 * Where the last rebuild of the read model stands.
 *
 * @param recordsToReplay the records on the topic when the replay started
 * @param recordsReplayed how many of those the projection has taken again
 */
public record ReplayStatus(State state, Instant startedAt, Instant completedAt, long recordsToReplay,
                           long recordsReplayed) {

    public enum State {
        IDLE, RUNNING, COMPLETED
    }

    static final ReplayStatus IDLE = new ReplayStatus(State.IDLE, null, null, 0, 0);
}
