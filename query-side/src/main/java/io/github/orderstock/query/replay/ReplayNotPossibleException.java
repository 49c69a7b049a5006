package io.github.orderstock.query.replay;

/** The projection's segments stayed claimed by other instances past the request's deadline; nothing was reset. */
public class ReplayNotPossibleException extends RuntimeException {

    ReplayNotPossibleException(Throwable cause) {
        super("Another query-side instance still holds the projection, so no replay was started; try again in a few "
                + "seconds.", cause);
    }
}
