package io.github.orderstock.query.stock;

public record FindOrderQuery(String orderId) {
}
