package io.github.orderstock.command.publish;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the acknowledged position of each stream and writes them to {@link PublicationProgress} at most every
 * {@code every} (one write per product per period, not per round). A failed write is kept and tried again with the
 * next; until then, a restart sends those events again.
 */
final class ProgressRecorder {

    private static final Logger log = LoggerFactory.getLogger(ProgressRecorder.class);

    private final PublicationProgress progress;
    private final Duration every;
    private final Clock clock;
    private final Map<String, Long> toRecord = new HashMap<>();
    private Instant lastRecorded = Instant.EPOCH;

    ProgressRecorder(PublicationProgress progress, Duration every, Clock clock) {
        this.progress = progress;
        this.every = every;
        this.clock = clock;
    }

    /** The broker acknowledged the streams of the round up to their batches' unbroken runs. */
    synchronized void acknowledged(Iterable<StreamBatch> round) {
        for (StreamBatch batch : round) {
            if (batch.acknowledged > 0) {
                toRecord.merge(batch.aggregateId, batch.acknowledgedUpTo(), Math::max);
            }
        }
    }

    /** Writes the positions if {@code every} has passed since the last write. */
    void recordIfDue() {
        record(false);
    }

    /** Writes the positions now (on stop). */
    void recordNow() {
        record(true);
    }

    private void record(boolean now) {
        Map<String, Long> positions;
        synchronized (this) {
            if (toRecord.isEmpty() || !now && clock.instant().isBefore(lastRecorded.plus(every))) {
                return;
            }
            positions = new HashMap<>(toRecord);
            toRecord.clear();
        }
        try {
            progress.advance(positions);
            synchronized (this) {
                lastRecorded = clock.instant();
            }
        } catch (RuntimeException e) {
            synchronized (this) {
                positions.forEach((id, upTo) -> toRecord.merge(id, upTo, Math::max));
            }
            log.warn("Cannot record how far {} product streams are published ({}); events since the last record "
                    + "will be sent again after a restart. Check that MongoDB is reachable.", positions.size(),
                    e.toString());
        }
    }
}
