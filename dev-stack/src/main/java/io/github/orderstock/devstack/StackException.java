package io.github.orderstock.devstack;

/** A failure of the stack whose message tells the user what went wrong and what to do. */
public class StackException extends RuntimeException {

    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
