/** Metrics both services publish the same way. */
package io.github.orderstock.support.metrics;
