package io.github.orderstock.command.product;

/**
 * A repeated order id is not among the orders the product remembers, but it was claimed before the product started
 * forgetting: only the event stream can tell whether it was placed.
 */
public class OrderOutcomeUnknownException extends RuntimeException {

    public OrderOutcomeUnknownException(String orderId, String productId) {
        super("Product '%s' no longer remembers whether order '%s' was placed.".formatted(productId, orderId));
    }
}
