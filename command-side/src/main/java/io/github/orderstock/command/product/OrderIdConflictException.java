package io.github.orderstock.command.product;

public class OrderIdConflictException extends RuntimeException {

    public OrderIdConflictException(String orderId) {
        super("Order id '%s' is already used by an order with another product or quantity; choose a new order id."
                .formatted(orderId));
    }
}
