/** Replay: synthetic events written onto the topic in the command side's wire format, then a rebuild of the read model. */
package io.github.orderstock.benchmark.replay;
