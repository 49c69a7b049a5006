package io.github.orderstock.query.stock;

import java.time.Instant;

public record OrderView(String orderId, String productId, int quantity, Instant placedAt) {
}
