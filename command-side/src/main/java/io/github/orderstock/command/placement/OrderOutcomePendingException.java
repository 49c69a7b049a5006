package io.github.orderstock.command.placement;

import java.time.Duration;

/**
 * The order id was claimed before, the outcome was never recorded on the claim, and the product no longer remembers
 * the order: it is being looked up off the request path. Repeating the same order after {@link #retryAfter()} is safe
 * and gets the answer.
 */
public class OrderOutcomePendingException extends RuntimeException {

    private final Duration retryAfter;

    OrderOutcomePendingException(String orderId, Duration retryAfter) {
        super("Whether order '%s' was placed is being looked up; repeat the same order in %d s."
                .formatted(orderId, retryAfter.toSeconds()));
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
