package io.github.orderstock.systemtests.harness;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Gives a test class its own cluster ({@link SystemStack#startCluster()}): started once before the class, after the
 * suite's single-node stack was stopped (seven more JVMs beside it would starve both on two cores), and stopped when
 * the class ends, passed or failed. When a test fails it prints the tail of every part's log.
 */
public final class ClusterStackExtension implements BeforeAllCallback, ParameterResolver, TestWatcher {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ClusterStackExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        SystemStackExtension.stopSuiteStack(context);
        cluster(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SystemStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cluster(context);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        SystemStack cluster = classStore(context).get(SystemStack.class, SystemStack.class);
        if (cluster != null) {
            System.err.printf("%n===== %s failed =====%n%s%n", context.getDisplayName(), cluster.logTails(80));
        }
    }

    private static SystemStack cluster(ExtensionContext context) {
        return classStore(context).getOrComputeIfAbsent(SystemStack.class, key -> SystemStack.startCluster(),
                SystemStack.class);
    }

    /** The store of the test class, closed by JUnit when the class is done. */
    private static ExtensionContext.Store classStore(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent()) {
            classContext = classContext.getParent().orElseThrow();
        }
        return classContext.getStore(NAMESPACE);
    }
}
