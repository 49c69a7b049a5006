package io.github.orderstock.command.web;

/** The one rule for order and product ids, shared by bodies and paths. */
final class Ids {

    /** Letters, digits, '-' and '_', 1 to 64 characters: safe in URLs, log lines and MongoDB keys. */
    static final String PATTERN = "[A-Za-z0-9_-]{1,64}";
    static final String MESSAGE = "must be 1 to 64 letters, digits, '-' or '_'";

    private Ids() {
    }
}
