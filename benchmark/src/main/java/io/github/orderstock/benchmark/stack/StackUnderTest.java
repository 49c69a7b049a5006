package io.github.orderstock.benchmark.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import io.github.orderstock.benchmark.BenchmarkException;
import io.github.orderstock.benchmark.report.Figures;
import io.github.orderstock.devstack.Child;
import io.github.orderstock.devstack.Stack;
import io.github.orderstock.testsupport.ShopClient;
import io.github.orderstock.testsupport.TestStack;
import io.github.orderstock.testsupport.TestStackOptions;

/**
 * The stack the benchmark measures: either one it starts itself (test-support's {@link TestStack}: dev-stack's
 * {@link Stack} on a fresh data directory and free ports, the parts as child JVMs exactly as {@code ./start} runs
 * them), or one already running that it only targets. Closing a started stack stops its parts in order.
 *
 * @param kafkaBootstrap where Kafka listens, or null if unknown (a running stack without --kafka)
 * @param stack          the stack started here; null for a running stack
 * @param dataDir        the data directory of a stack started here (its logs are in {@code logs/}), else null
 */
public record StackUnderTest(ShopClient client, String kafkaBootstrap, String description, TestStack stack,
                             Path dataDir) implements AutoCloseable {

    /** A stack started elsewhere ({@code ./start}); it is neither started nor stopped here. */
    public static StackUnderTest running(String commandUrl, String queryUrl, String adminPassword,
                                         String kafkaBootstrap) {
        var client = new ShopClient(commandUrl, queryUrl, Stack.ADMIN_USER, adminPassword);
        for (String url : List.of(client.commandUrl(), client.queryUrl())) {
            if (!client.answers(url)) {
                throw new BenchmarkException("Nothing answers at " + url + ". Start the stack (./start) or give the "
                        + "right --command-url and --query-url; without them ./bench starts a stack of its own.");
            }
        }
        return new StackUnderTest(client, kafkaBootstrap, "running at %s and %s (not started by the benchmark)"
                .formatted(client.commandUrl(), client.queryUrl()), null, null);
    }

    /**
     * A stack on a fresh temporary data directory and free ports, not started yet: {@link #awaitColdStart} starts
     * it and waits until it serves.
     *
     * @param home the project clone, holding the services' jars
     */
    public static StackUnderTest launch(Path home, String mongoBackend) {
        for (Path jar : List.of(home.resolve("command-side/target/command-side.jar"),
                home.resolve("query-side/target/query-side.jar"))) {
            if (!Files.isRegularFile(jar)) {
                throw new BenchmarkException(jar + " is missing. Build first: ./mvnw -q -DskipTests package "
                        + "(./bench does that for you).");
            }
        }
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("order-stock-bench-");
        } catch (IOException e) {
            throw new BenchmarkException("Cannot create a temporary data directory (java.io.tmpdir="
                    + System.getProperty("java.io.tmpdir") + "): " + e.getMessage(), e);
        }
        var stack = new TestStack(TestStackOptions.single(home, dataDir, mongoBackend));
        return new StackUnderTest(stack.http(), stack.bootstrapServers(),
                "started by the benchmark (fresh data directory %s)".formatted(dataDir), stack, dataDir);
    }

    /**
     * Starts a stack of the benchmark's own and measures its cold start (see {@link ColdStart}). Does nothing for a
     * running stack.
     *
     * @return the cold start; empty for a running stack
     * @throws BenchmarkException if the stack is not ready in time (it is then stopped, its data and logs kept)
     */
    public Optional<Figures.ColdStart> awaitColdStart(PrintStream out) {
        if (stack == null) {
            return Optional.empty();
        }
        out.printf("Starting the stack: MongoDB stand-in backend %s, data in %s%n",
                stack.options().mongoBackend().name().toLowerCase(java.util.Locale.ROOT), dataDir);
        try {
            return Optional.of(new ColdStart(stack, out).measure());
        } catch (RuntimeException e) {
            close(true);
            throw e;
        }
    }

    /** The stack's processes now: its parts, or for a running stack those found by the ports it listens on. */
    public Supplier<List<StackProcesses.StackProcess>> processes() {
        if (stack == null) {
            return StackProcesses.listening(port(client.commandUrl()), port(client.queryUrl()));
        }
        return () -> {
            List<StackProcesses.StackProcess> processes = new ArrayList<>();
            for (Child part : stack.children()) {
                part.pid().ifPresent(pid -> processes.add(new StackProcesses.StackProcess(part.name(), pid)));
            }
            return processes;
        };
    }

    private static int port(String url) {
        int port = java.net.URI.create(url).getPort();
        return port > 0 ? port : url.startsWith("https") ? 443 : 80;
    }

    /** Whether every part of a stack started here still runs (a running stack: assumed so). */
    public boolean isAlive() {
        return stack == null || stack.isAlive();
    }

    /** The last lines of every part's log, for failure messages. */
    public String logTails() {
        return stack == null ? "(a stack started elsewhere: see its own logs)" : stack.logTails(20);
    }

    @Override
    public void close() {
        close(false);
    }

    /**
     * Stops a stack started here; deletes its data directory unless {@code keepData}. Does nothing for a running
     * stack. Safe to call twice (the shutdown hook does).
     */
    public synchronized void close(boolean keepData) {
        if (stack == null || stack.isClosed()) {
            return;
        }
        long started = System.nanoTime();
        System.out.println("Stopping the stack...");
        stack.close();
        System.out.printf("Stack stopped in %.1f s.%n", (System.nanoTime() - started) / 1e9);
        if (keepData) {
            System.out.println("Its data and logs are kept in " + dataDir + " (logs/ holds one log per part).");
            return;
        }
        try {
            TestStack.deleteRecursively(dataDir);
        } catch (UncheckedIOException e) {
            System.err.println("Could not delete the stack's data directory " + dataDir + ": " + e.getMessage());
        }
    }

    /** A pause between polls; an interrupt ends the phase. */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkException("Interrupted", e);
        }
    }
}
