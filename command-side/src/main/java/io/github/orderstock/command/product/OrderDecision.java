package io.github.orderstock.command.product;

/**
 * What the product decided for one order of a {@link PlaceOrdersCommand}: placed now or before, or rejected with the
 * domain failure a single {@link PlaceOrderCommand} would have thrown.
 */
public record OrderDecision(OrderPlacement placement, RuntimeException rejection) {

    static OrderDecision of(OrderPlacement placement) {
        return new OrderDecision(placement, null);
    }

    static OrderDecision rejected(RuntimeException rejection) {
        return new OrderDecision(null, rejection);
    }

    /** The placement, or the rejection thrown. */
    public OrderPlacement placementOrThrow() {
        if (rejection != null) {
            throw rejection;
        }
        return placement;
    }
}
