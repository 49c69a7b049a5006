package io.github.orderstock.query.web;

/** As many live streams are open as the query side serves at once ({@code app.watch.max-clients}). */
class LiveStreamsExhaustedException extends RuntimeException {

    LiveStreamsExhaustedException(int max) {
        super("%d live streams are open, as many as this service serves at once; try again later.".formatted(max));
    }
}
