package io.github.orderstock.benchmark;

import io.github.orderstock.devstack.StackException;

/**
 * A phase cannot go on; the message says what went wrong and what to do about it. A {@link StackException} from the
 * stack or its client is one too: the benchmark reports both by their message.
 */
public class BenchmarkException extends StackException {

    public BenchmarkException(String message) {
        super(message);
    }

    public BenchmarkException(String message, Throwable cause) {
        super(message, cause);
    }
}
