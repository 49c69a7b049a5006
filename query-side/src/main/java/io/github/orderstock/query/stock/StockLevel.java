package io.github.orderstock.query.stock;

/**
 * A product's stock as the live page shows it: {@code lastSequence} is the position in the product's stream the
 * quantity reflects, so that a client keeps the newer of two pushes that crossed.
 */
public record StockLevel(String productId, String name, int quantity, long lastSequence) {
}
