package io.github.orderstock.query.stock;

public record FindAllProductsQuery() {
}
