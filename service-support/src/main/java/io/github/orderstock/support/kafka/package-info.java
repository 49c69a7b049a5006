/** Kafka plumbing both services share. */
package io.github.orderstock.support.kafka;
