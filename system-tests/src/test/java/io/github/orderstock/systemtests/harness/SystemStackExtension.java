package io.github.orderstock.systemtests.harness;

import io.github.orderstock.testsupport.TestStack;
import io.github.orderstock.testsupport.TestStackOptions;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives each test class the one {@link TestStack} of the suite: the real system as separate processes on loopback
 * (Kafka, the MongoDB stand-in with its H2 file backend, command-side, query-side), started by the first class in
 * {@code <systemtests.work>/run-<time>} and kept in the root store so that JUnit closes it when the whole suite has
 * run (passed or failed). Before each class it restarts any part an earlier failure left stopped; when a test fails
 * it prints the tail of every part's log.
 */
public final class SystemStackExtension extends StackExtension {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SystemStackExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        stack(context).ensureRunning();
    }

    @Override
    ExtensionContext.Store store(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE);
    }

    @Override
    TestStack start() {
        return start("run", "system under test", (home, dataDir) -> TestStackOptions.single(home, dataDir, "h2"));
    }

    /**
     * Stops the suite's stack if one runs, so that a test that brings its own (the cluster) has the machine to
     * itself; a later class that needs the suite's stack starts a fresh one.
     */
    static void stopSuiteStack(ExtensionContext context) {
        Running running = context.getRoot().getStore(NAMESPACE).remove(Running.class, Running.class);
        if (running != null) {
            System.out.println("Stopping the suite's single-node stack: the cluster needs the machine");
            running.stack().close();
        }
    }
}
