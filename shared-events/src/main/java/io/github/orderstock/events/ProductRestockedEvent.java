package io.github.orderstock.events;

import org.axonframework.serialization.Revision;

/**
 * Stock arrived for a product: the available stock grows by {@code quantity}.
 *
 * @param productId the product's identifier (aggregate identifier)
 * @param quantity  the number of units added, one or more
 */
@Revision("1")
public record ProductRestockedEvent(String productId, int quantity) {
}
