/** Infrastructure wiring: MongoDB event store, snapshots and cache, the Kafka topic, the seed, message ids. */
package io.github.orderstock.command.config;
