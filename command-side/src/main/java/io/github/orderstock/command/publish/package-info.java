/** Getting every stored event onto Kafka: in memory when it can, by key from the event store when it must. */
package io.github.orderstock.command.publish;
