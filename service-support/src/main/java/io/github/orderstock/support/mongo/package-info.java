/** Deadlines for every wait on MongoDB, MongoDB's part of health and readiness, and the idempotent insert. */
package io.github.orderstock.support.mongo;
