package io.github.orderstock.devstack.mongo;

/** The data file cannot be opened as this stand-in's store; the message says why and what to do. */
public final class UnreadableStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UnreadableStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
