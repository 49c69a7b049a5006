package io.github.orderstock.command.product;

import java.util.List;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Orders for one product that arrived together, decided one after the other in one unit of work: each as its own
 * {@link PlaceOrderCommand} would be, and their events stored together.
 *
 * @param orders each for {@code productId}; the answer holds one {@link OrderDecision} per order, in this order
 */
public record PlaceOrdersCommand(@TargetAggregateIdentifier String productId, List<PlaceOrderCommand> orders) {

    public PlaceOrdersCommand {
        orders = List.copyOf(orders);
        for (PlaceOrderCommand order : orders) {
            if (!order.productId().equals(productId)) {
                throw new IllegalArgumentException("Order '%s' is for product '%s', not '%s'"
                        .formatted(order.orderId(), order.productId(), productId));
            }
        }
    }
}
