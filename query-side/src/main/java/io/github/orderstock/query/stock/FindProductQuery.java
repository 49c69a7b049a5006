package io.github.orderstock.query.stock;

public record FindProductQuery(String productId) {
}
