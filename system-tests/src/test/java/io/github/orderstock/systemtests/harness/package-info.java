/**
 * The harness around test-support: the suite's one stack (a JUnit extension), the invariants as assertions, direct
 * reads of the stores and the topic, the replay readers, the scale and the figures each test prints.
 */
package io.github.orderstock.systemtests.harness;
