package io.github.orderstock.systemtests.harness;

import io.github.orderstock.testsupport.TestStack;
import io.github.orderstock.testsupport.TestStackOptions;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class its own cluster ({@link TestStackOptions#cluster}: three Kafka brokers, two instances of each
 * service, one MongoDB stand-in): started once before the class in {@code <systemtests.work>/cluster-<time>}, after
 * the suite's single-node stack was stopped (seven more JVMs beside it would starve both on two cores), and stopped
 * when the class ends, passed or failed. When a test fails it prints the tail of every part's log.
 */
public final class ClusterStackExtension extends StackExtension {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ClusterStackExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        SystemStackExtension.stopSuiteStack(context);
        stack(context);
    }

    /** The store of the test class, closed by JUnit when the class is done. */
    @Override
    ExtensionContext.Store store(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent()) {
            classContext = classContext.getParent().orElseThrow();
        }
        return classContext.getStore(NAMESPACE);
    }

    @Override
    TestStack start() {
        return start("cluster", "cluster under test", TestStackOptions::cluster);
    }
}
