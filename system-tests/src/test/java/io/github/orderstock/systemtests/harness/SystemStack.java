package io.github.orderstock.systemtests.harness;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.github.orderstock.devstack.Child;
import io.github.orderstock.devstack.Stack;
import io.github.orderstock.devstack.StackOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real system as separate processes on loopback: Kafka, the MongoDB stand-in (H2 file backend), command-side and
 * query-side, started once for the whole suite by {@link SystemStackExtension} and stopped when the suite ends (also
 * when it fails, and by a shutdown hook if the test JVM is stopped). Tests kill and restart parts through it, so that
 * every kill is counted and followed by a restart and a wait for readiness.
 */
public final class SystemStack implements ExtensionContext.Store.CloseableResource {

    public static final String TOPIC = "shop-events";

    private final Stack stack;
    private final StackOptions options;
    private final Path workDir;
    private final MongoClient mongo;
    private final Http http;
    private final Map<String, Integer> kills = new ConcurrentHashMap<>();
    private final Thread shutdownHook;
    private volatile boolean closed;

    private SystemStack(Stack stack, Path workDir) {
        this.stack = stack;
        this.options = stack.options();
        this.http = new Http(stack.adminPassword());
        this.workDir = workDir;
        this.mongo = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + options.mongoPort()))
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(20, TimeUnit.SECONDS))
                .applyToSocketSettings(socket -> socket.connectTimeout(5, TimeUnit.SECONDS)
                        .readTimeout(60, TimeUnit.SECONDS))
                .build());
        this.shutdownHook = new Thread(this::close, "system-stack-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a fresh stack in {@code <systemtests.work>/run-<time>} on free ports; older runs' data is removed. */
    static SystemStack start() {
        Path workDir = Path.of(System.getProperty("systemtests.work", "target/system-tests")).toAbsolutePath();
        Path dataDir = workDir.resolve(
                "run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        deleteOldRuns(workDir);
        List<String> args = new ArrayList<>();
        String home = System.getProperty("systemtests.home");
        if (home != null && !home.isBlank()) {
            args.addAll(List.of("--home", home));
        }
        List<Integer> ports = freePorts(5);
        args.addAll(List.of("--data-dir", dataDir.toString(),
                "--kafka-port", String.valueOf(ports.get(0)),
                "--kafka-controller-port", String.valueOf(ports.get(1)),
                "--mongo-port", String.valueOf(ports.get(2)),
                "--command-port", String.valueOf(ports.get(3)),
                "--query-port", String.valueOf(ports.get(4)),
                "--mongo-backend", "h2"));
        var stack = new Stack(StackOptions.parse(args, Map.of()));
        long started = System.nanoTime();
        System.out.println("Starting the system under test in " + dataDir);
        stack.start();
        System.out.printf("System under test started in %.1f s (scale %s)%n", (System.nanoTime() - started) / 1e9,
                Scale.current().name());
        try {
            return new SystemStack(stack, workDir);
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    public String commandUrl() {
        return "http://127.0.0.1:" + options.commandPort();
    }

    public String queryUrl() {
        return "http://127.0.0.1:" + options.queryPort();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + options.kafkaPort();
    }

    public Http http() {
        return http;
    }

    /** The admin's password the stack gave its services (user {@code Stack.ADMIN_USER}), for a browser to type. */
    public String adminPassword() {
        return stack.adminPassword();
    }

    public MongoClient mongo() {
        return mongo;
    }

    public Stores stores() {
        return new Stores(mongo);
    }

    public Path workDir() {
        return workDir;
    }

    public Child kafka() {
        return stack.kafka();
    }

    /** The MongoDB stand-in's process (the client to it is {@link #mongo()}). */
    public Child mongoStandIn() {
        return stack.mongo();
    }

    public Child commandSide() {
        return stack.commandSide();
    }

    public Child querySide() {
        return stack.querySide();
    }

    public List<Child> children() {
        return stack.children();
    }

    /** kill -9, counted. The caller restarts the part with {@link #restart}. */
    public void kill(Child child) {
        child.kill();
        kills.merge(child.name(), 1, Integer::sum);
    }

    /** Starts a killed part again and waits until it serves; returns the seconds that took. */
    public double restart(Child child) {
        long started = System.nanoTime();
        child.start();
        return (System.nanoTime() - started) / 1e9;
    }

    /** How often each part was killed so far in this suite. */
    public int kills(Child child) {
        return kills.getOrDefault(child.name(), 0);
    }

    /** Starts, in start order, every part that is not running (after a test that failed half-way). */
    public void ensureRunning() {
        for (Child child : stack.children()) {
            if (!child.isAlive()) {
                System.out.println("Restarting " + child.name() + ", which an earlier test left stopped");
                child.start();
            }
        }
    }

    /** The tail of every part's log, for failure reports. */
    public String logTails(int lines) {
        var text = new StringBuilder("Data directory: " + options.dataDir());
        for (Child child : stack.children()) {
            text.append(String.format("%n----- %s (%s), last %d lines of %s -----%n%s%n", child.name(),
                    child.isAlive() ? "running, pid " + child.pid().orElse(-1L) : "not running", lines,
                    child.logFile(), child.logTail(lines)));
        }
        return text.toString();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            mongo.close();
        } finally {
            stack.close();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is what is running
            }
        }
    }

    private static void deleteOldRuns(Path workDir) {
        if (!Files.isDirectory(workDir)) {
            return;
        }
        try (Stream<Path> runs = Files.list(workDir)) {
            for (Path run : runs.filter(p -> p.getFileName().toString().startsWith("run-")).toList()) {
                try (Stream<Path> tree = Files.walk(run)) {
                    tree.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Integer> freePorts(int count) {
        // All sockets stay open until every port is picked, so the kernel cannot hand out one port twice.
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // only a probe
                }
            }
        }
    }
}
