/** The stack under test: launched from the dev-stack jar or already running; its processes' memory; an HTTP client. */
package io.github.orderstock.benchmark.stack;
