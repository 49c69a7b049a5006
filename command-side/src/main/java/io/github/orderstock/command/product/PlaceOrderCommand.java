package io.github.orderstock.command.product;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Takes {@code quantity} units of a product for an order.
 *
 * @param earlierClaimAt {@code null} when the sender owns the order id's claim (it inserted or renewed it, so nothing
 *                       was placed for it before); otherwise when the claim was made, so the product can tell whether
 *                       it may have forgotten an earlier placement
 * @param placeBy        the end of the claim's placement window: after it the product places nothing for this order
 *                       id (it answers {@link PlacementWindowClosedException}), so that every placement of an order
 *                       lies between its claim and this moment; {@code null} for no limit
 */
public record PlaceOrderCommand(@TargetAggregateIdentifier String productId, String orderId, int quantity,
                                Instant earlierClaimAt, Instant placeBy) {

    /** An order without a placement window. */
    public PlaceOrderCommand(String productId, String orderId, int quantity, Instant earlierClaimAt) {
        this(productId, orderId, quantity, earlierClaimAt, null);
    }
}
