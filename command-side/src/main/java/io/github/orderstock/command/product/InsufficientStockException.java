package io.github.orderstock.command.product;

public class InsufficientStockException extends RuntimeException {

    private final String productId;
    private final int requested;
    private final int available;

    public InsufficientStockException(String productId, int requested, int available) {
        super("Product '%s' has %d in stock; the order asks for %d.".formatted(productId, available, requested));
        this.productId = productId;
        this.requested = requested;
        this.available = available;
    }

    public String productId() {
        return productId;
    }

    public int requested() {
        return requested;
    }

    public int available() {
        return available;
    }
}
