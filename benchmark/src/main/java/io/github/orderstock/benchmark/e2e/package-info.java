/** End to end: N orders sent by a pool of clients until the stock read model is exactly right. */
package io.github.orderstock.benchmark.e2e;
