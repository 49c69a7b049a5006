/** POST /orders throughput and latency with wrk: the Lua script, running wrk, reading its output. */
package io.github.orderstock.benchmark.http;
