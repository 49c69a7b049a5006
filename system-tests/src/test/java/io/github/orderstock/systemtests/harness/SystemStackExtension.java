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
 * Gives each test class the one {@link TestStack} of the suite: the real system as separate processes on loopback
 * (Kafka, the MongoDB stand-in with its H2 file backend, command-side, query-side), started by the first class in
 * {@code <systemtests.work>/run-<time>} and kept in the root store so that JUnit closes it when the whole suite has
 * run (passed or failed). Before each class it restarts any part an earlier failure left stopped; when a test fails
 * it prints the tail of every part's log.
 */
public final class SystemStackExtension implements BeforeAllCallback, ParameterResolver, TestWatcher {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SystemStackExtension.class);

    /** Closes the stack when JUnit closes the root store. */
    private record Running(TestStack stack) implements ExtensionContext.Store.CloseableResource {

        @Override
        public void close() {
            stack.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        stack(context).ensureRunning();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return stack(context);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Running running = context.getRoot().getStore(NAMESPACE).get(Running.class, Running.class);
        if (running != null) {
            System.err.printf("%n===== %s failed =====%n%s%n", context.getDisplayName(), running.stack().logTails(80));
        }
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

    private static TestStack stack(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Running.class, key -> new Running(start()), Running.class).stack();
    }

    /** Starts a fresh stack on free ports; older runs' data is removed. */
    private static TestStack start() {
        Path workDir = workDir();
        Path dataDir = workDir.resolve(
                "run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (Files.isDirectory(workDir)) {
            try (Stream<Path> runs = Files.list(workDir)) {
                runs.filter(p -> p.getFileName().toString().startsWith("run-")).forEach(TestStack::deleteRecursively);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String home = System.getProperty("systemtests.home");
        long started = System.nanoTime();
        System.out.println("Starting the system under test in " + dataDir);
        TestStack stack = new TestStack(
                TestStackOptions.single(home == null || home.isBlank() ? null : Path.of(home), dataDir, "h2")).start();
        System.out.printf("System under test started in %.1f s (scale %s)%n", (System.nanoTime() - started) / 1e9,
                Scale.current().name());
        return stack;
    }

    /** Where the runs' data and the figures go. */
    public static Path workDir() {
        return Path.of(System.getProperty("systemtests.work", "target/system-tests")).toAbsolutePath();
    }
}
