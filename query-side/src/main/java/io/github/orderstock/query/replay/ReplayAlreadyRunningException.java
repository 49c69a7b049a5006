package io.github.orderstock.query.replay;

public class ReplayAlreadyRunningException extends RuntimeException {

    ReplayAlreadyRunningException() {
        super("A replay is running already; follow it with GET /admin/replay and start a new one when it completed.");
    }
}
