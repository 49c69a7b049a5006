package io.github.orderstock.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The whole development stack: Kafka and the MongoDB stand-in (started side by side), then command-side, then
 * query-side, each a {@link Child} that a test may kill and restart on its own. Closing stops them in reverse order.
 */
public final class Stack implements AutoCloseable {

    private final StackOptions options;
    private final Child kafka;
    private final Child mongo;
    private final Child commandSide;
    private final Child querySide;
    private final String adminPassword;
    private boolean closed;

    public Stack(StackOptions options) {
        this.options = options;
        var jvm = new Jvm(options.dataDir().resolve("run"));
        String bootstrapServers = KafkaBroker.bootstrapServers(options);
        String mongoUri = "mongodb://127.0.0.1:" + options.mongoPort();
        this.adminPassword = adminPassword(options.dataDir());
        this.kafka = KafkaBroker.child(options, jvm);
        this.mongo = MongoStandIn.child(options, jvm);
        this.commandSide = Service.child("command-side", options, options.commandPort(), Map.of(
                "SERVER_PORT", String.valueOf(options.commandPort()),
                "MONGO_URI", mongoUri + "/shop_write",
                "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                "QUERY_SIDE_URL", "http://localhost:" + options.queryPort(),
                "ADMIN_USER", ADMIN_USER,
                "ADMIN_PASSWORD", adminPassword), jvm);
        this.querySide = Service.child("query-side", options, options.queryPort(), Map.of(
                "SERVER_PORT", String.valueOf(options.queryPort()),
                "MONGO_URI", mongoUri + "/shop_read",
                "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                "ADMIN_USER", ADMIN_USER,
                "ADMIN_PASSWORD", adminPassword), jvm);
    }

    /** The admin's user name for replay and metrics; the password is {@link #adminPassword()}. */
    public static final String ADMIN_USER = "admin";

    /**
     * The launcher's {@code ADMIN_PASSWORD} if set, else one generated on the first start and kept in
     * {@code <data>/admin-password}, so it stays the same across restarts.
     */
    public String adminPassword() {
        return adminPassword;
    }

    private static String adminPassword(Path dataDir) {
        String given = System.getenv("ADMIN_PASSWORD");
        if (given != null && !given.isBlank()) {
            return given;
        }
        Path file = dataDir.resolve("admin-password");
        try {
            if (Files.isRegularFile(file)) {
                // Files written before it was owner-only (issue 13) become so.
                ownerOnly(file);
                return Files.readString(file).trim();
            }
            byte[] secret = new byte[12];
            new SecureRandom().nextBytes(secret);
            String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            Files.createDirectories(dataDir);
            // Created owner-only (0600) before the secret is in it, so no other user can ever read it.
            Path partial = Files.createTempFile(dataDir, "admin-password", ".tmp");
            ownerOnly(partial);
            Files.writeString(partial, generated + System.lineSeparator());
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            return generated;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the admin password in " + file, e);
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    public StackOptions options() {
        return options;
    }

    public Child kafka() {
        return kafka;
    }

    public Child mongo() {
        return mongo;
    }

    public Child commandSide() {
        return commandSide;
    }

    public Child querySide() {
        return querySide;
    }

    /** All parts in start order. */
    public List<Child> children() {
        return List.of(kafka, mongo, commandSide, querySide);
    }

    /**
     * Starts every part and returns when all serve.
     *
     * @throws StackException if a port is taken or a part fails to start; whatever had started is stopped again
     */
    public void start() {
        requireFree("--kafka-port", "--kafka-controller-port", "--mongo-port", "--command-port", "--query-port");
        startInfrastructure();
        try {
            startTimed(commandSide);
            startTimed(querySide);
        } catch (RuntimeException e) {
            closeAfterFailure();
            throw e;
        }
    }

    /** Starts only Kafka and the MongoDB stand-in, for tests of the infrastructure and of one service. */
    public void startInfrastructure() {
        requireFree("--kafka-port", "--kafka-controller-port", "--mongo-port");
        try {
            long started = System.nanoTime();
            launch(mongo);
            launch(kafka);
            mongo.awaitReady();
            report(mongo, started);
            kafka.awaitReady();
            report(kafka, started);
        } catch (RuntimeException e) {
            closeAfterFailure();
            throw e;
        }
    }

    /** Stops query-side, command-side, the MongoDB stand-in and Kafka, in that order, each gently if it can. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        List<Child> reversed = new ArrayList<>(children());
        Collections.reverse(reversed);
        for (Child child : reversed) {
            if (!child.isAlive()) {
                continue;
            }
            long started = System.nanoTime();
            try {
                child.stop();
                System.out.printf("  %-13s stopped in %.1f s%n", child.name(), seconds(started));
            } catch (RuntimeException e) {
                System.err.printf("  %-13s could not be stopped: %s%n", child.name(), e.getMessage());
            }
        }
    }

    /** Whether some part still runs. */
    public boolean isAnyAlive() {
        return children().stream().anyMatch(Child::isAlive);
    }

    /** The table the launcher prints once everything serves. */
    public String summary() {
        var text = new StringBuilder(String.format("%n  %-13s %-30s %s%n", "part", "address", "log"));
        for (Child child : children()) {
            String name = child == mongo ? "mongo (" + options.mongoBackend().name().toLowerCase(Locale.ROOT) + ")" : child.name();
            text.append(String.format("  %-13s %-30s %s%n", name, child.address(), display(child.logFile())));
        }
        text.append(String.format("%n  data directory: %s%n", display(options.dataDir())));
        text.append(String.format("""

                  Place the original order, then read the stock:
                    curl -i -X POST localhost:%d/orders -H 'Content-Type: application/json' \
                -d '{"orderId":"1","productId":"1","quantity":"1"}'
                    curl localhost:%d/products/1

                  Watch the stock change as orders land: http://localhost:%d/

                  Admin operations (user %s, password in %s):
                    curl -i -u %s:%s -X POST localhost:%d/admin/replay
                """, options.commandPort(), options.queryPort(), options.queryPort(), ADMIN_USER,
                display(options.dataDir().resolve("admin-password")), ADMIN_USER, adminPassword,
                options.queryPort()));
        return text.toString();
    }

    private void closeAfterFailure() {
        if (isAnyAlive()) {
            System.out.println("  Start failed; stopping what had started:");
        }
        close();
    }

    private void startTimed(Child child) {
        long started = System.nanoTime();
        launch(child);
        child.awaitReady();
        report(child, started);
    }

    private synchronized void launch(Child child) {
        if (closed) {
            throw new StackException("The stack is shutting down; not starting " + child.name() + ".");
        }
        System.out.printf("  %-13s starting (%s)%n", child.name(), child.address());
        child.launch();
    }

    private static void report(Child child, long started) {
        System.out.printf("  %-13s ready after %.1f s%n", child.name(), seconds(started));
    }

    private void requireFree(String... optionNames) {
        Map<String, Integer> ports = options.portsByOption();
        for (String option : optionNames) {
            int port = ports.get(option);
            try (var socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(port));
            } catch (IOException e) {
                throw new StackException(String.format("Port %d (%s, env %s) is already in use. Stop what holds it "
                        + "(ss -ltnp 'sport = :%d' shows it; an earlier stack may still be stopping) or choose "
                        + "another port: %s %d", port, option, StackOptions.envOf(option), port, option, port + 100));
            }
        }
    }

    private static Path display(Path path) {
        Path cwd = Path.of("").toAbsolutePath();
        return path.startsWith(cwd) && !path.equals(cwd) ? cwd.relativize(path) : path;
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
