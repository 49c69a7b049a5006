package io.github.orderstock.events;

import org.axonframework.serialization.Revision;

/**
 * An order was accepted and its units were taken from the product's stock. It lives in the stream of the product
 * it draws from (aggregate identifier {@code productId}), so all stock changes of one product are totally ordered by
 * the stream's sequence number. Each {@code orderId} is placed at most once.
 *
 * @param orderId   the client's order identifier, unique across all products
 * @param productId the product the units were taken from (aggregate identifier)
 * @param quantity  the number of units ordered, one or more
 */
@Revision("1")
public record OrderPlacedEvent(String orderId, String productId, int quantity) {
}
