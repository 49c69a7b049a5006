package io.github.orderstock.systemtests.harness;

import io.github.orderstock.devstack.StackOptions;
import io.github.orderstock.testsupport.TestStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * What both stacks of the system tests share: a {@link TestStack} parameter, kept in a JUnit store that closes it,
 * started in a fresh directory under {@code <systemtests.work>}, and the tail of every part's log when a test fails.
 * Subclasses say which store keeps it (the suite's or the class's) and which stack it is.
 */
abstract class StackExtension implements BeforeAllCallback, ParameterResolver, TestWatcher {

    /** Closes the stack when JUnit closes the store that keeps it. */
    record Running(TestStack stack) implements ExtensionContext.Store.CloseableResource, AutoCloseable {

        @Override
        public void close() {
            stack.close();
        }
    }

    /** The store that keeps this extension's stack. */
    abstract ExtensionContext.Store store(ExtensionContext context);

    /** Starts this extension's stack. */
    abstract TestStack start();

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
        Running running = store(context).get(Running.class, Running.class);
        if (running != null) {
            System.err.printf("%n===== %s failed =====%n%s%n", context.getDisplayName(), running.stack().logTails(80));
        }
    }

    TestStack stack(ExtensionContext context) {
        return store(context).getOrComputeIfAbsent(Running.class, key -> new Running(start()), Running.class).stack();
    }

    /**
     * Starts a stack in {@code <systemtests.work>/<prefix>-<time>}, after removing older ones of that prefix.
     *
     * @param options the stack's options from the project clone (null: found from the working directory) and its
     *                data directory
     */
    static TestStack start(String prefix, String what, BiFunction<Path, Path, StackOptions> options) {
        Path workDir = workDir();
        Path dataDir = workDir.resolve(
                prefix + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (Files.isDirectory(workDir)) {
            try (Stream<Path> runs = Files.list(workDir)) {
                runs.filter(p -> p.getFileName().toString().startsWith(prefix + "-"))
                        .forEach(TestStack::deleteRecursively);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String home = System.getProperty("systemtests.home");
        long started = System.nanoTime();
        System.out.println("Starting the " + what + " in " + dataDir);
        TestStack stack = new TestStack(options.apply(home == null || home.isBlank() ? null : Path.of(home), dataDir))
                .start();
        System.out.printf("%s started in %.1f s (scale %s)%n", Character.toUpperCase(what.charAt(0))
                + what.substring(1), (System.nanoTime() - started) / 1e9, Scale.current().name());
        return stack;
    }

    /** Where the runs' data and the figures go. */
    public static Path workDir() {
        return Path.of(System.getProperty("systemtests.work", "target/system-tests")).toAbsolutePath();
    }
}
