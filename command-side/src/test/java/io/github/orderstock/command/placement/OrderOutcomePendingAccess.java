package io.github.orderstock.command.placement;

import java.time.Duration;

/** Lets web tests make the exception that only this package throws. */
public final class OrderOutcomePendingAccess {

    private OrderOutcomePendingAccess() {
    }

    public static OrderOutcomePendingException pending(String orderId, long retryAfterSeconds) {
        return new OrderOutcomePendingException(orderId, Duration.ofSeconds(retryAfterSeconds));
    }
}
