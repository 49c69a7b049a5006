/** Deadlines for every wait on MongoDB, and MongoDB's part of health and readiness. */
package io.github.orderstock.support.mongo;
