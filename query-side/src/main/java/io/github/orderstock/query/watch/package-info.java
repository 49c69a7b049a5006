/**
 * Watching the query side work: the projection's lag per partition, replay progress and dead letters, sampled once
 * a second for the metrics and the live page, and the stock changes the live page is pushed.
 */
package io.github.orderstock.query.watch;
