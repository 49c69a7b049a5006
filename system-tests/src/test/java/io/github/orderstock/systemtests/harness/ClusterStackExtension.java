package io.github.orderstock.systemtests.harness;

import io.github.orderstock.testsupport.TestStack;
import io.github.orderstock.testsupport.TestStackOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Gives a test class its own cluster ({@link TestStackOptions#cluster}: three Kafka brokers, two instances of each
 * service, one MongoDB stand-in): started once before the class, after the suite's single-node stack was stopped
 * (seven more JVMs beside it would starve both on two cores), and stopped when the class ends, passed or failed. When a
 * test fails it prints the tail of every part's log.
 */
public final class ClusterStackExtension implements BeforeAllCallback, ParameterResolver, TestWatcher {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ClusterStackExtension.class);

    /** Closes the cluster when JUnit closes the class's store. */
    private record Running(TestStack stack) implements ExtensionContext.Store.CloseableResource {

        @Override
        public void close() {
            stack.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        SystemStackExtension.stopSuiteStack(context);
        cluster(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cluster(context);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Running running = classStore(context).get(Running.class, Running.class);
        if (running != null) {
            System.err.printf("%n===== %s failed =====%n%s%n", context.getDisplayName(), running.stack().logTails(80));
        }
    }

    private static TestStack cluster(ExtensionContext context) {
        return classStore(context).getOrComputeIfAbsent(Running.class, key -> new Running(start()), Running.class)
                .stack();
    }

    /** Starts a fresh cluster in {@code <systemtests.work>/cluster-<time>}; older clusters' data is removed. */
    private static TestStack start() {
        Path workDir = SystemStackExtension.workDir();
        Path dataDir = workDir.resolve(
                "cluster-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (Files.isDirectory(workDir)) {
            try (Stream<Path> runs = Files.list(workDir)) {
                runs.filter(p -> p.getFileName().toString().startsWith("cluster-"))
                        .forEach(TestStack::deleteRecursively);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String home = System.getProperty("systemtests.home");
        long started = System.nanoTime();
        System.out.println("Starting the cluster under test in " + dataDir);
        TestStack cluster = new TestStack(TestStackOptions.cluster(
                home == null || home.isBlank() ? null : Path.of(home), dataDir)).start();
        System.out.printf("Cluster under test started in %.1f s (scale %s)%n", (System.nanoTime() - started) / 1e9,
                Scale.current().name());
        return cluster;
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
