package io.github.orderstock.support.web;

/**
 * The one rule for order and product ids, for bodies and paths of both services: the command side accepts nothing
 * else, so on the query side anything else cannot exist and is a bad request.
 */
public final class Ids {

    /** Letters, digits, '-' and '_', 1 to 64 characters: safe in URLs, log lines and MongoDB keys. */
    public static final String PATTERN = "[A-Za-z0-9_-]{1,64}";
    public static final String MESSAGE = "must be 1 to 64 letters, digits, '-' or '_'";

    private Ids() {
    }
}
