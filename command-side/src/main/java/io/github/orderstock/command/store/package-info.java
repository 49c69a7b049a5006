/** The event store layout: documents keyed by their place in their stream, so every read is a key lookup. */
package io.github.orderstock.command.store;
