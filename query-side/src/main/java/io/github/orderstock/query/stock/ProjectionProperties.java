package io.github.orderstock.query.stock;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code app.projection.*}: how query-side instances share the projection's segments (ADR 11). The number of segments
 * and of threads is Axon's ({@code axon.eventhandling.processors.product-stock.initial-segment-count},
 * {@code thread-count}, {@code token-claim-interval}; {@code PROJECTION_SEGMENTS} sets both counts).
 *
 * @param instanceId   this instance's name in the token store's claims; blank: host, process and a random part, so a
 *                     restarted instance is a new one and takes its former segments once their claims timed out
 * @param claimTimeout how long after its owner last extended it a segment's claim may be taken by another instance;
 *                     owners extend with every batch and every second while idle, so it must exceed the longest batch
 * @param balanceEvery how often an instance says it is alive, gives up segments beyond its share and looks for replay
 *                     requests of other instances
 */
@ConfigurationProperties("app.projection")
public record ProjectionProperties(@DefaultValue("") String instanceId, @DefaultValue("5s") Duration claimTimeout,
                                   @DefaultValue("1s") Duration balanceEvery) {

    /** This instance's name: the configured one, or one no other instance has. */
    public String self() {
        return instanceId.isBlank() ? ProjectionInstances.generatedId() : instanceId.strip();
    }

    /**
     * How long an instance counts as alive after it last said so: three balance periods, but less than the claim
     * timeout, so that a restarted instance no longer counts its dead former self when that one's claims expire and it
     * would otherwise give up half of them again.
     */
    public Duration aliveFor() {
        Duration threePeriods = balanceEvery.multipliedBy(3);
        return threePeriods.compareTo(claimTimeout) < 0 ? threePeriods : claimTimeout;
    }

    /** How long a replay request waits for the other instances to let go of their segments (a dead one's: timed out). */
    public Duration replayRequestDeadline() {
        return claimTimeout.plus(balanceEvery.multipliedBy(3)).plusSeconds(5);
    }
}
