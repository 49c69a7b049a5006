/**
 * The published contract between the command side and the query side: event records as they are stored in the
 * event store and written to Kafka. Class names and field names are wire format; change them only with an upcaster.
 */
package io.github.orderstock.events;
