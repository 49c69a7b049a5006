package io.github.orderstock.query.watch;

import java.time.Instant;

/** A record the projection stepped over, as the live page lists it (not its bytes). */
public record DeadLetter(int partition, long offset, String kind, String reason, Instant rejectedAt) {
}
