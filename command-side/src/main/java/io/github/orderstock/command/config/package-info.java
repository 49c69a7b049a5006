/** Infrastructure wiring: MongoDB event store and token store, snapshots and cache, the Kafka topic, the seed. */
package io.github.orderstock.command.config;
