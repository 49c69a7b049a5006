package io.github.orderstock.testsupport;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.github.orderstock.devstack.Child;
import io.github.orderstock.devstack.Stack;
import io.github.orderstock.devstack.StackException;
import io.github.orderstock.devstack.StackOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The one handle on a stack under test: dev-stack's {@link Stack} on free ports and a data directory of the caller's,
 * with the clients a test or the benchmark talks to it through. Parts are addressed by name ({@link #part}), so that a
 * stack with several brokers or instances of a part fits the same handle. Every kill goes through {@link #kill} and
 * is counted; closing stops every part, also from a shutdown hook if the JVM is stopped first.
 */
public final class TestStack implements AutoCloseable {

    /** The event topic the services use. */
    public static final String TOPIC = "shop-events";

    private final Stack stack;
    private final StackOptions options;
    private final ShopClient http;
    private final Map<String, Integer> kills = new ConcurrentHashMap<>();
    private final Thread shutdownHook = new Thread(this::close, "test-stack-shutdown");
    private MongoClient mongo;
    private boolean closed;

    /** A handle on a stack with these options, not started yet. */
    public TestStack(StackOptions options) {
        this.stack = new Stack(options);
        this.options = options;
        this.http = new ShopClient(commandUrl(), queryUrl(), Stack.ADMIN_USER, stack.adminPassword());
    }

    /**
     * Options for a stack in {@code dataDir} on free loopback ports.
     *
     * @param home         the project clone, or null to find it from the working directory
     * @param mongoBackend {@code h2} (data survives a restart) or {@code memory}
     */
    public static StackOptions options(Path home, Path dataDir, String mongoBackend) {
        List<String> args = new ArrayList<>();
        if (home != null) {
            args.addAll(List.of("--home", home.toString()));
        }
        List<Integer> ports = freePorts(5);
        args.addAll(List.of("--data-dir", dataDir.toString(),
                "--kafka-port", String.valueOf(ports.get(0)),
                "--kafka-controller-port", String.valueOf(ports.get(1)),
                "--mongo-port", String.valueOf(ports.get(2)),
                "--command-port", String.valueOf(ports.get(3)),
                "--query-port", String.valueOf(ports.get(4)),
                "--mongo-backend", mongoBackend));
        return StackOptions.parse(args, Map.of());
    }

    /**
     * Options for a cluster ({@code --cluster}: three Kafka brokers, two instances of each service, one MongoDB
     * stand-in on its H2 backend) in {@code dataDir}, on a block of free ports: brokers at base, +2, +4 with their
     * controllers at +1, +3, +5; MongoDB at +6; the command sides at +7, +9 and the query sides at +8, +10.
     */
    public static StackOptions clusterOptions(Path home, Path dataDir) {
        List<String> args = new ArrayList<>();
        if (home != null) {
            args.addAll(List.of("--home", home.toString()));
        }
        int base = freeBlock(11);
        args.addAll(List.of("--cluster", "--data-dir", dataDir.toString(),
                "--kafka-port", String.valueOf(base),
                "--kafka-controller-port", String.valueOf(base + 1),
                "--mongo-port", String.valueOf(base + 6),
                "--command-port", String.valueOf(base + 7),
                "--query-port", String.valueOf(base + 8),
                "--mongo-backend", "h2"));
        return StackOptions.parse(args, Map.of());
    }

    /**
     * Starts every part and returns once all serve.
     *
     * @throws io.github.orderstock.devstack.StackException if a part fails to start; whatever started is stopped
     */
    public TestStack start() {
        return started(stack::start);
    }

    /** Starts only Kafka and the MongoDB stand-in, for tests of the infrastructure. */
    public TestStack startInfrastructure() {
        return started(stack::startInfrastructure);
    }

    private TestStack started(Runnable start) {
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            start.run();
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public StackOptions options() {
        return options;
    }

    public String commandUrl() {
        return "http://127.0.0.1:" + options.commandPort();
    }

    public String queryUrl() {
        return "http://127.0.0.1:" + options.queryPort();
    }

    /** Every broker's address (one, or three in a cluster). */
    public String bootstrapServers() {
        return String.join(",", options.kafkaPorts().stream().map(port -> "127.0.0.1:" + port).toList());
    }

    /** Where an instance of a service answers. */
    public String url(Child service) {
        return "http://127.0.0.1:" + service.port();
    }

    /** Every command-side instance's address (two in a cluster). */
    public List<String> commandUrls() {
        return commandSides().stream().map(this::url).toList();
    }

    /** Every query-side instance's address (two in a cluster). */
    public List<String> queryUrls() {
        return querySides().stream().map(this::url).toList();
    }

    /** The admin's password the stack gave its services (user {@code Stack.ADMIN_USER}), e.g. for a browser. */
    public String adminPassword() {
        return stack.adminPassword();
    }

    public String mongoUri() {
        return "mongodb://127.0.0.1:" + options.mongoPort();
    }

    /** The HTTP client for both services, with the stack's admin credentials. */
    public ShopClient http() {
        return http;
    }

    /** A MongoDB client to the stand-in, made on first use and closed with the stack. */
    public synchronized MongoClient mongo() {
        if (mongo == null) {
            mongo = MongoClients.create(MongoClientSettings.builder()
                    .applyConnectionString(new ConnectionString(mongoUri()))
                    .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(20, TimeUnit.SECONDS))
                    .applyToSocketSettings(socket -> socket.connectTimeout(5, TimeUnit.SECONDS)
                            .readTimeout(60, TimeUnit.SECONDS))
                    .build());
        }
        return mongo;
    }

    public Stores stores() {
        return new Stores(mongo());
    }

    /** Every part in start order. */
    public List<Child> children() {
        return stack.children();
    }

    /** The part of this name ({@code kafka}, {@code mongo}, {@code command-side}, {@code query-side}). */
    public Child part(String name) {
        return children().stream().filter(child -> child.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("The stack has no part named " + name));
    }

    public Child kafka() {
        return stack.kafka();
    }

    /** Every Kafka broker: node id {@code i + 1} at index {@code i}. */
    public List<Child> kafkaBrokers() {
        return stack.kafkaBrokers();
    }

    /** The broker with this Kafka node id. */
    public Child kafkaBroker(int nodeId) {
        return stack.kafkaBrokers().get(nodeId - 1);
    }

    public List<Child> commandSides() {
        return stack.commandSides();
    }

    public List<Child> querySides() {
        return stack.querySides();
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

    /** How often the part was killed through this handle. */
    public int kills(Child child) {
        return kills.getOrDefault(child.name(), 0);
    }

    /** Starts, in start order, every part that is not running (after a test that failed half-way). */
    public void ensureRunning() {
        for (Child child : children()) {
            if (!child.isAlive()) {
                System.out.println("Restarting " + child.name() + ", which an earlier test left stopped");
                child.start();
            }
        }
    }

    /** Whether every part still runs. */
    public boolean isAlive() {
        return children().stream().allMatch(Child::isAlive);
    }

    /** The tail of every part's log, for failure reports. */
    public String logTails(int lines) {
        var text = new StringBuilder("Data directory: " + options.dataDir());
        for (Child child : children()) {
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
            if (mongo != null) {
                mongo.close();
            }
        }
        stack.close();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is what is running
        }
    }

    /** Deletes a directory and all below it; a missing one is fine. */
    public static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + dir, e);
        }
    }

    /** The first of {@code count} consecutive free ports, below the kernel's ephemeral range. */
    static int freeBlock(int count) {
        var random = new java.util.Random();
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20_000 + random.nextInt(12_000);
            if (allFree(base, count)) {
                return base;
            }
        }
        throw new StackException("No block of " + count + " free ports found between 20000 and 32000");
    }

    private static boolean allFree(int base, int count) {
        for (int port = base; port < base + count; port++) {
            try (var socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(port));
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }

    /** Loopback ports nobody listens on now, all different: every socket stays open until all are picked. */
    static List<Integer> freePorts(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                var socket = new ServerSocket();
                held.add(socket);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new StackException("Could not find free ports on the loopback interface: " + e.getMessage(), e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // only a probe
                }
            }
        }
    }
}
