package io.github.orderstock.systemtests.harness;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Gives each test class the one {@link SystemStack} of the suite: started by the first class, kept in the root
 * store so that JUnit closes it when the whole suite has run (passed or failed). Before each class it restarts any
 * part an earlier failure left stopped; when a test fails it prints the tail of every part's log.
 */
public final class SystemStackExtension implements BeforeAllCallback, ParameterResolver, TestWatcher {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SystemStackExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        stack(context).ensureRunning();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SystemStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return stack(context);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        SystemStack stack = context.getRoot().getStore(NAMESPACE).get(SystemStack.class, SystemStack.class);
        if (stack != null) {
            System.err.printf("%n===== %s failed =====%n%s%n", context.getDisplayName(), stack.logTails(80));
        }
    }

    /**
     * Stops the suite's stack if one runs, so that a test that brings its own (the cluster) has the machine to
     * itself; a later class that needs the suite's stack starts a fresh one.
     */
    static void stopSuiteStack(ExtensionContext context) {
        SystemStack stack = context.getRoot().getStore(NAMESPACE).remove(SystemStack.class, SystemStack.class);
        if (stack != null) {
            System.out.println("Stopping the suite's single-node stack: the cluster needs the machine");
            stack.close();
        }
    }

    private static SystemStack stack(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SystemStack.class, key -> SystemStack.start(), SystemStack.class);
    }
}
