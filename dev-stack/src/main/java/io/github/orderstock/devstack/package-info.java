/** The embedded development stack: a Kafka broker, the MongoDB stand-in and both services as child JVMs. */
package io.github.orderstock.devstack;
