package io.github.orderstock.devstack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One part of the stack running as a child JVM: started, probed until ready, stopped gently or killed outright, and
 * started again on the same data. Its stdout and stderr are appended to its log file.
 */
public final class Child {

    /** One look at whether the child serves yet; an exception counts as "not yet". */
    @FunctionalInterface
    interface Probe {
        boolean ready() throws Exception;
    }

    private static final int PROBE_MILLIS = 200;

    /**
     * What the child is and how it runs.
     *
     * @param address where clients reach it, e.g. {@code http://localhost:3000}
     * @param prepare run before each launch, after the log's header (writes configuration, formats storage)
     * @param probe   asked every {@value #PROBE_MILLIS} ms after a launch until it says ready
     */
    record Spec(String name, String address, int port, Path logFile, Path workDir, List<String> command,
                Map<String, String> environment, Runnable prepare, Probe probe, Duration readyTimeout,
                Duration stopTimeout) {

        Spec {
            command = List.copyOf(command);
            environment = Map.copyOf(environment);
        }
    }

    private final Spec spec;
    private volatile Process process;
    /** Set by {@link #kill()} and {@link #stop()}, cleared by a start: a supervisor leaves such a child alone. */
    private volatile boolean stoppedOnPurpose;

    Child(Spec spec) {
        this.spec = spec;
    }

    public String name() {
        return spec.name();
    }

    /** Where clients reach it, e.g. {@code http://localhost:3000}. */
    public String address() {
        return spec.address();
    }

    public int port() {
        return spec.port();
    }

    public Path logFile() {
        return spec.logFile();
    }

    /** The running process's id, if it runs. */
    public Optional<Long> pid() {
        Process current = process;
        return current != null && current.isAlive() ? Optional.of(current.pid()) : Optional.empty();
    }

    public boolean isAlive() {
        Process current = process;
        return current != null && current.isAlive();
    }

    /**
     * Starts the child and returns once it serves.
     *
     * @throws StackException if it exits or is not ready in time (the message carries the tail of its log)
     */
    public void start() {
        launch();
        awaitReady();
    }

    /**
     * Sends SIGKILL and waits until the process is gone: a crash, as far as the child can tell. The launcher's
     * {@link Supervisor} does not restart a child killed this way: whoever killed it starts it again.
     */
    public synchronized void kill() {
        stoppedOnPurpose = true;
        Process current = process;
        if (current != null) {
            current.destroyForcibly();
            waitFor(current, Duration.ofSeconds(30));
        }
    }

    /** Sends SIGTERM, waits up to the child's stop timeout for a clean exit, then kills it. Not restarted either. */
    public synchronized void stop() {
        stoppedOnPurpose = true;
        Process current = process;
        if (current == null || !current.isAlive()) {
            return;
        }
        current.destroy();
        if (!waitFor(current, spec.stopTimeout())) {
            System.err.printf("%s did not stop within %d s; killing it.%n", spec.name(),
                    spec.stopTimeout().toSeconds());
            kill();
        }
    }

    /** Stops the child gently and starts it again on the same data. */
    public void restart() {
        stop();
        start();
    }

    /** The last lines of the log file, for error messages. */
    public String logTail(int lines) {
        return tail(spec.logFile(), lines);
    }

    /** The current process, for watching its exit; null before the first start. */
    Process process() {
        return process;
    }

    /** Whether the child was last stopped or killed through this API (and not started since). */
    boolean stoppedOnPurpose() {
        return stoppedOnPurpose;
    }

    @Override
    public String toString() {
        return spec.name() + " (" + spec.address() + ")";
    }

    /** Starts the process without waiting for it to serve. */
    synchronized void launch() {
        if (isAlive()) {
            throw new IllegalStateException(spec.name() + " is already running (pid " + process.pid() + ")");
        }
        try {
            Files.createDirectories(spec.logFile().getParent());
            Files.createDirectories(spec.workDir());
            Files.writeString(spec.logFile(), String.format("%n==== %s starting %s: %s%n", Instant.now(),
                    spec.name(), String.join(" ", spec.command())), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            spec.prepare().run();
            var builder = new ProcessBuilder(spec.command())
                    .directory(spec.workDir().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
            builder.environment().putAll(spec.environment());
            process = builder.start();
            stoppedOnPurpose = false;
        } catch (IOException e) {
            throw new StackException("Could not start " + spec.name() + ": " + e.getMessage(), e);
        }
    }

    /** Probes until the child serves; fails fast if it exits. */
    void awaitReady() {
        Process current = process;
        if (current == null) {
            throw new IllegalStateException(spec.name() + " was not launched");
        }
        Instant deadline = Instant.now().plus(spec.readyTimeout());
        Exception lastFailure = null;
        while (true) {
            if (!current.isAlive()) {
                throw new StackException(String.format("%s exited with code %d while starting. Last lines of %s:%n%s",
                        spec.name(), current.exitValue(), spec.logFile(), logTail(30)));
            }
            try {
                if (spec.probe().ready()) {
                    return;
                }
            } catch (Exception e) {
                lastFailure = e;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new StackException(String.format(
                        "%s did not become ready within %d s (last probe: %s). Last lines of %s:%n%s", spec.name(),
                        spec.readyTimeout().toSeconds(), lastFailure == null ? "not ready" : lastFailure,
                        spec.logFile(), logTail(30)));
            }
            // The pause between probes doubles as the exit check.
            waitFor(current, Duration.ofMillis(PROBE_MILLIS));
        }
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while waiting for pid " + process.pid(), e);
        }
    }

    static String tail(Path file, int lines) {
        if (!Files.exists(file)) {
            return "(no log file " + file + ")";
        }
        try (var in = new RandomAccessFile(file.toFile(), "r")) {
            long from = Math.max(0, in.length() - 256L * 1024);
            byte[] bytes = new byte[(int) (in.length() - from)];
            in.seek(from);
            in.readFully(bytes);
            String[] all = new String(bytes, StandardCharsets.UTF_8).split("\\R");
            return String.join(System.lineSeparator(),
                    Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
