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
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** Whether {@link #close()} was called. */
    public synchronized boolean isClosed() {
        return closed;
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
}
