package io.github.orderstock.command.product;

/** What placing an order did: took the stock now, or found the same order already placed. */
public enum OrderPlacement {
    PLACED, ALREADY_PLACED
}
