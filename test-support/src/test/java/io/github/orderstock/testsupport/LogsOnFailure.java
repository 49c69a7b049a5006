package io.github.orderstock.testsupport;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** Prints the tail of every part's log when a test fails. */
final class LogsOnFailure implements TestWatcher {

    private static volatile TestStack stack;

    static void watch(TestStack running) {
        stack = running;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        TestStack current = stack;
        if (current != null) {
            System.err.printf("%n===== %s failed =====%n%s%n", context.getDisplayName(), current.logTails(60));
        }
    }
}
