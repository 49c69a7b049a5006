package io.github.orderstock.query.replay;

/** Creates the package-private exception for web tests. */
public final class ReplayTestAccess {

    private ReplayTestAccess() {
    }

    public static RuntimeException replayAlreadyRunning() {
        return new ReplayAlreadyRunningException();
    }
}
