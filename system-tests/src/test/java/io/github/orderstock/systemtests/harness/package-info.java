/**
 * The harness: the shared stack of child JVMs, a load client that records every request and answer, the oracle
 * computed from that record, audits of the Kafka topic and the event store, and the figures each test prints.
 */
package io.github.orderstock.systemtests.harness;
