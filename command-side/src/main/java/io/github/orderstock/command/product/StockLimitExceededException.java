package io.github.orderstock.command.product;

public class StockLimitExceededException extends RuntimeException {

    StockLimitExceededException(String productId, int stock, int added) {
        super("Restocking product '%s' by %d would take its stock of %d past %d.".formatted(
                productId, added, stock, Integer.MAX_VALUE));
    }
}
