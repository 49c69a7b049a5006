package io.github.orderstock.devstack;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Starts a service the way Spring Boot's class data sharing recipe does: its jar extracted beside it, plus an archive
 * of the classes its start loads, so that a start neither unpacks nested jars nor parses and verifies those classes
 * again. The command side's start up to its refreshed context, three times each, alternating, on an idle 2-core
 * machine: 9.4–10.4 s (16.5–17.9 s of CPU) from the fat jar, 5.1–6.1 s (8.8–10.7 s of CPU) extracted with the
 * archive (docs/performance.md, item 17).
 * <p>
 * Both are made once per build of the jar, at the first start, in {@code <module>/target/cds/<jar stamp>/}: the
 * extraction ({@code java -Djarmode=tools -jar … extract}), then a training run that refreshes the service's context
 * against the stand-in and Kafka already running and exits before anything starts ({@code
 * -Dspring.context.exit=onRefresh -XX:ArchiveClassesAtExit}). A new build gets a new directory, so a running service's
 * jars are never overwritten. Should the training fail, this build starts without the archive (java ignores a
 * missing one) and the service's log says why.
 */
final class ClassDataSharing {

    private static final Duration TRAINING_WITHIN = Duration.ofMinutes(3);
    /** One preparation at a time per directory in this JVM; the file lock keeps other launchers out. */
    private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private final Path fatJar;
    private final Path dir;

    ClassDataSharing(Path fatJar) {
        this.fatJar = fatJar;
        this.dir = fatJar.resolveSibling("cds").resolve(stamp(fatJar));
    }

    /** {@code java [options] -XX:SharedArchiveFile=… -jar <extracted jar>}. */
    List<String> command(Jvm jvm, List<String> jvmOptions) {
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-XX:SharedArchiveFile=" + archive());
        return jvm.jar(options, extractedJar());
    }

    /**
     * Extracts the jar and trains the archive unless both are there; quick once they are. The training's output goes
     * to {@code log}.
     */
    void prepare(Jvm jvm, List<String> jvmOptions, Map<String, String> environment, Path log) {
        if (Files.isRegularFile(extractedJar()) && (Files.isRegularFile(archive()) || Files.exists(untrained()))) {
            return;
        }
        synchronized (LOCKS.computeIfAbsent(dir, key -> new Object())) {
            try {
                Files.createDirectories(dir);
                try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                    if (!Files.isRegularFile(extractedJar())) {
                        extract(log);
                    }
                    if (!Files.isRegularFile(archive()) && !Files.exists(untrained())) {
                        train(jvm, jvmOptions, environment, log);
                    }
                }
            } catch (IOException e) {
                throw new StackException("Could not prepare " + fatJar.getFileName() + " in " + dir + ": "
                        + e.getMessage() + ". Delete " + dir.getParent() + " and start again.", e);
            }
        }
    }

    Path extractedJar() {
        return dir.resolve("app").resolve(fatJar.getFileName());
    }

    Path archive() {
        return dir.resolve("classes.jsa");
    }

    /** Marks a build whose training failed: later starts go without an archive rather than train again. */
    private Path untrained() {
        return dir.resolve("untrained");
    }

    private void extract(Path log) throws IOException {
        Path partial = dir.resolve("app.partial");
        deleteRecursively(partial);
        List<String> command = List.of(java(), "-Djarmode=tools", "-jar", fatJar.toString(), "extract",
                "--destination", partial.toString());
        if (run(command, Map.of(), log, Duration.ofMinutes(2)) != 0) {
            throw new IOException("extracting it failed (" + String.join(" ", command) + "); its output is in " + log);
        }
        Files.move(partial, dir.resolve("app"), StandardCopyOption.ATOMIC_MOVE);
    }

    private void train(Jvm jvm, List<String> jvmOptions, Map<String, String> environment, Path log)
            throws IOException {
        Path partial = dir.resolve("classes.jsa.partial");
        Files.deleteIfExists(partial);
        List<String> options = new ArrayList<>(jvmOptions);
        // Port 0: the training must not take the port the service itself is about to listen on.
        options.addAll(List.of("-XX:ArchiveClassesAtExit=" + partial, "-Dspring.context.exit=onRefresh",
                "-Dserver.port=0"));
        int exit = run(jvm.jar(options, extractedJar()), environment, log, TRAINING_WITHIN);
        if (exit == 0 && Files.isRegularFile(partial)) {
            Files.move(partial, archive(), StandardCopyOption.ATOMIC_MOVE);
        } else {
            Files.writeString(untrained(), "training exited with " + exit);
            Files.writeString(log, String.format("%n==== %s: no class data sharing archive (the training run exited "
                            + "with %d); this build starts without one, which only makes its starts slower%n",
                    Instant.now(), exit), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    private static int run(List<String> command, Map<String, String> environment, Path log, Duration within)
            throws IOException {
        Files.createDirectories(log.getParent());
        Files.writeString(log, String.format("%n==== %s preparing a faster start: %s%n", Instant.now(),
                String.join(" ", command)), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        var builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return -1;
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The jar's size and time, and the JVM's version: a directory per build of the jar and per JVM. */
    private static String stamp(Path jar) {
        try {
            return "%x-%x-%s".formatted(Files.size(jar), Files.getLastModifiedTime(jar).toMillis(),
                    Runtime.version().toString().replaceAll("[^0-9A-Za-z.]", "_"));
        } catch (IOException missing) {
            return "missing";
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var paths = Files.walk(path)) {
            for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
    }
}
