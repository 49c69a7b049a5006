package io.github.orderstock.query.stock;

/** A product as the original app showed it: its id and its stock ({@code quantity}). */
public record ProductView(String productId, String name, int quantity) {
}
