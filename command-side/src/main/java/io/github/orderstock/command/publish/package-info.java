/**
 * Getting every stored event onto Kafka: handed over by the event store's storage ({@code PublishingStorageEngine}),
 * sent from memory when it can and read by key from the event store when it must ({@code EventPublisher}).
 */
package io.github.orderstock.command.publish;
