package io.github.orderstock.command.product;

import java.time.Instant;

/**
 * The order's placement window ended before the product got to it, and the product knows that it did not place the
 * order before: nothing was placed, and nothing will be under that window.
 */
public class PlacementWindowClosedException extends RuntimeException {

    public PlacementWindowClosedException(String orderId, String productId, Instant placeBy) {
        super("Order '%s' for product '%s' had to be placed by %s; nothing was placed.".formatted(orderId, productId,
                placeBy));
    }
}
