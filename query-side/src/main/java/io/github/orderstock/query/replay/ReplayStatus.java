package io.github.orderstock.query.replay;

import java.time.Instant;

/**
 * Where the last rebuild of the read model stands, as recorded in MongoDB.
 *
 * @param completedAt     the moment readers were switched to the rebuilt read model
 * @param recordsToReplay the records on the topic when the replay started
 * @param recordsReplayed how many of those the projection has taken again (while running: as far as this instance's
 *                        processor knows; another instance running the processor answers 0)
 */
public record ReplayStatus(State state, Instant startedAt, Instant completedAt, long recordsToReplay,
                           long recordsReplayed) {

    public enum State {
        IDLE, RUNNING, SWITCHING, COMPLETED
    }

    static final ReplayStatus IDLE = new ReplayStatus(State.IDLE, null, null, 0, 0);
}
