package io.github.orderstock.command.publish;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether publishing is failing, since when, and how long to pause before the next round: from 200 ms, doubling up
 * to {@code maxBackOff} while failures last, none after a round that went through. Says so in the log once when
 * publishing starts failing, every 30 s while it keeps failing, and once when it works again.
 */
final class PublishingOutage {

    /** The publisher's log, as before it was split: filters and alerts on it keep working. */
    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);
    private static final Duration WARN_EVERY = Duration.ofSeconds(30);
    private static final Duration FIRST_BACK_OFF = Duration.ofMillis(200);

    private final String topic;
    private final Duration maxBackOff;
    private final Clock clock;
    private Duration backOff = Duration.ZERO;
    private Instant failingSince;
    private Instant lastWarned = Instant.EPOCH;

    PublishingOutage(String topic, Duration maxBackOff, Clock clock) {
        this.topic = topic;
        this.maxBackOff = maxBackOff;
        this.clock = clock;
    }

    /** Every stream of a round was acknowledged in full: no pause. */
    Duration roundSent() {
        if (failingSince != null) {
            log.info("Kafka topic '{}' is reachable again; publishing the events stored meanwhile ({} s without "
                    + "publishing)", topic, Duration.between(failingSince, clock.instant()).toSeconds());
        }
        failingSince = null;
        backOff = Duration.ZERO;
        return backOff;
    }

    /** Some stream of a round was not acknowledged in full: the pause before the next round. */
    Duration kafkaFailed(Throwable failure, LongSupplier unpublished) {
        if (failingSince == null || clock.instant().isAfter(lastWarned.plus(WARN_EVERY))) {
            log.warn("Cannot publish to Kafka topic '{}' ({}); {} events wait and are sent again once the broker "
                    + "answers. Check that Kafka is reachable (KAFKA_BOOTSTRAP_SERVERS).", topic,
                    String.valueOf(failure), unpublished.getAsLong());
            lastWarned = clock.instant();
        }
        if (failingSince == null) {
            failingSince = clock.instant();
        }
        return longerBackOff();
    }

    /** Reading the round's events from the event store failed: the pause before the next round. */
    Duration storeFailed(RuntimeException failure) {
        if (failingSince == null) {
            failingSince = clock.instant();
        }
        if (clock.instant().isAfter(lastWarned.plus(WARN_EVERY))) {
            log.warn("Cannot publish: reading unpublished events from the event store failed ({}); retrying. Check "
                    + "that MongoDB is reachable (MONGO_URI).", failure.toString());
            lastWarned = clock.instant();
        }
        return longerBackOff();
    }

    private Duration longerBackOff() {
        backOff = backOff.isZero() ? FIRST_BACK_OFF
                : backOff.multipliedBy(2).compareTo(maxBackOff) <= 0 ? backOff.multipliedBy(2) : maxBackOff;
        return backOff;
    }
}
