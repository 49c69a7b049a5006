package io.github.orderstock.benchmark;

/** A phase cannot go on; the message says what went wrong and what to do about it. */
public class BenchmarkException extends RuntimeException {

    public BenchmarkException(String message) {
        super(message);
    }

    public BenchmarkException(String message, Throwable cause) {
        super(message, cause);
    }
}
