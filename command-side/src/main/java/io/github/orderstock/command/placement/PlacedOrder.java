package io.github.orderstock.command.placement;

/** The answer to a placed order: the same for the first request and for every identical repeat. */
public record PlacedOrder(String orderId, String productId, int quantity) {
}
