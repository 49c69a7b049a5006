package io.github.orderstock.events;

import org.axonframework.serialization.Revision;

/**
 * A product entered the catalogue with its initial stock. Always the first event (sequence number 0) of the
 * product's stream, whose aggregate identifier is {@code productId}.
 *
 * @param productId the product's identifier, also the aggregate identifier and the Kafka record key
 * @param name      a human-readable name
 * @param quantity  the initial stock, zero or more
 */
@Revision("1")
public record ProductAddedEvent(String productId, String name, int quantity) {
}
