package io.github.orderstock.query.web;

/** The command side's rule for order and product ids: anything else cannot exist, so it is a bad request. */
final class Ids {

    static final String PATTERN = "[A-Za-z0-9_-]{1,64}";
    static final String MESSAGE = "must be 1 to 64 letters, digits, '-' or '_'";

    private Ids() {
    }
}
