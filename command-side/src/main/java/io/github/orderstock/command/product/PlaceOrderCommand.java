package io.github.orderstock.command.product;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Takes {@code quantity} units of a product for an order.
 *
 * @param earlierClaimAt {@code null} for the first attempt of an order id; for a repeat, when the order id was first
 *                       claimed, so the product can tell whether it may have forgotten an earlier placement
 */
public record PlaceOrderCommand(@TargetAggregateIdentifier String productId, String orderId, int quantity,
                                Instant earlierClaimAt) {
}
