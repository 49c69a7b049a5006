package io.github.orderstock.devstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole development stack: Kafka and the MongoDB stand-in (started side by side), then command-side, then
 * query-side, each a {@link Child} that a test may kill and restart on its own. Closing stops them in reverse order.
 *
 * <p>With {@link StackOptions#cluster()}, the production topology on loopback: three Kafka brokers, one MongoDB
 * stand-in (it cannot run a replica set), and two instances of each service. The first command side starts alone,
 * since it creates the topic and the seed; the other three instances then start together.
 */
public final class Stack implements AutoCloseable {

    /**
     * What each instance of a cluster is told besides the single node's settings. The topic's replication follows
     * docker-compose.production.yml. {@code INSTANCE_ID} names the instance; the query side's projection is split
     * into {@code PROJECTION_SEGMENTS} segments claimed through the token store (the token store names each claim by
     * the instance id), and a claim that its holder stopped renewing is taken over after
     * {@code PROJECTION_CLAIM_TIMEOUT}. The values are the query side's own defaults, set here so that the cluster's
     * shape is visible in one place.
     */
    static final Map<String, String> CLUSTER_COMMAND_SIDE = Map.of(
            "KAFKA_TOPIC_REPLICATION_FACTOR", "3",
            "KAFKA_TOPIC_MIN_INSYNC_REPLICAS", "2");
    static final Map<String, String> CLUSTER_QUERY_SIDE = Map.of(
            "PROJECTION_SEGMENTS", "2",
            "PROJECTION_CLAIM_TIMEOUT", "5s");

    private final StackOptions options;
    private final Child kafka;
    private final Child mongo;
    private final Child commandSide;
    private final Child querySide;
    private final List<Child> kafkaBrokers;
    private final List<Child> commandSides;
    private final List<Child> querySides;
    private final String adminPassword;
    private boolean closed;

    public Stack(StackOptions options) {
        this.options = options;
        var jvm = new Jvm(options.dataDir().resolve("run"));
        String bootstrapServers = KafkaBroker.bootstrapServers(options);
        String mongoUri = "mongodb://127.0.0.1:" + options.mongoPort();
        this.adminPassword = AdminPassword.keptIn(options.dataDir());
        this.kafkaBrokers = options.cluster() ? KafkaBroker.cluster(options, jvm)
                : List.of(KafkaBroker.child(options, jvm));
        this.mongo = MongoStandIn.child(options, jvm);
        List<Child> commandSides = new ArrayList<>();
        List<Integer> commandPorts = options.commandPorts();
        for (int i = 0; i < commandPorts.size(); i++) {
            Map<String, String> environment = new HashMap<>(Map.of(
                    "SERVER_PORT", String.valueOf(commandPorts.get(i)),
                    "MONGO_URI", mongoUri + "/shop_write",
                    "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                    "QUERY_SIDE_URL", "http://localhost:" + options.queryPort(),
                    "ADMIN_USER", ADMIN_USER,
                    "ADMIN_PASSWORD", adminPassword));
            commandSides.add(instance("command-side", i, commandPorts.get(i), environment, CLUSTER_COMMAND_SIDE, jvm));
        }
        List<Child> querySides = new ArrayList<>();
        List<Integer> queryPorts = options.queryPorts();
        for (int i = 0; i < queryPorts.size(); i++) {
            Map<String, String> environment = new HashMap<>(Map.of(
                    "SERVER_PORT", String.valueOf(queryPorts.get(i)),
                    "MONGO_URI", mongoUri + "/shop_read",
                    "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                    "ADMIN_USER", ADMIN_USER,
                    "ADMIN_PASSWORD", adminPassword));
            querySides.add(instance("query-side", i, queryPorts.get(i), environment, CLUSTER_QUERY_SIDE, jvm));
        }
        this.commandSides = List.copyOf(commandSides);
        this.querySides = List.copyOf(querySides);
        this.kafka = kafkaBrokers.get(0);
        this.commandSide = commandSides.get(0);
        this.querySide = querySides.get(0);
    }

    /** The single node's service, or instance {@code index + 1} of a cluster's, named {@code <module>-<n>}. */
    private Child instance(String module, int index, int port, Map<String, String> environment,
                           Map<String, String> clusterEnvironment, Jvm jvm) {
        if (!options.cluster()) {
            return Service.child(module, options, port, environment, jvm);
        }
        String name = module + "-" + (index + 1);
        environment.putAll(clusterEnvironment);
        environment.put("INSTANCE_ID", name);
        return Service.child(module, name, options, port, environment, jvm);
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

    public StackOptions options() {
        return options;
    }

    /** The Kafka broker; in a cluster, the first (node id 1). */
    public Child kafka() {
        return kafka;
    }

    /** Every Kafka broker: node id {@code i + 1} at index {@code i}. */
    public List<Child> kafkaBrokers() {
        return kafkaBrokers;
    }

    /** Every command-side instance: one, or two in a cluster. */
    public List<Child> commandSides() {
        return commandSides;
    }

    /** Every query-side instance: one, or two in a cluster. */
    public List<Child> querySides() {
        return querySides;
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
        List<Child> children = new ArrayList<>(kafkaBrokers);
        children.add(mongo);
        children.addAll(commandSides);
        children.addAll(querySides);
        return List.copyOf(children);
    }

    /**
     * Starts every part and returns when all serve.
     *
     * @throws StackException if a port is taken or a part fails to start; whatever had started is stopped again
     */
    public void start() {
        requireFree(options.portsByOption().keySet());
        startInfrastructure();
        try {
            startTimed(commandSide);
            if (options.cluster()) {
                List<Child> rest = new ArrayList<>(commandSides.subList(1, commandSides.size()));
                rest.addAll(querySides);
                startTogether(rest);
            } else {
                startTimed(querySide);
            }
        } catch (RuntimeException e) {
            closeAfterFailure();
            throw e;
        }
    }

    /** Starts only Kafka and the MongoDB stand-in, for tests of the infrastructure and of one service. */
    public void startInfrastructure() {
        requireFree(options.portsByOption().keySet().stream()
                .filter(port -> port.startsWith("--kafka") || port.startsWith("--mongo")).toList());
        try {
            long started = System.nanoTime();
            launch(mongo);
            // A cluster's controllers wait for a majority of the quorum: its brokers start together.
            kafkaBrokers.forEach(this::launch);
            mongo.awaitReady();
            report(mongo, started);
            for (Child broker : kafkaBrokers) {
                broker.awaitReady();
                report(broker, started);
            }
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
        // A broker of a cluster stops cleanly only while a majority of the controller quorum runs: the brokers
        // stop together, not one after another (the last one alone would wait out its stop timeout).
        reversed.removeAll(kafkaBrokers);
        reversed.forEach(Stack::stopReporting);
        List<Thread> stopping = new ArrayList<>();
        for (Child broker : kafkaBrokers) {
            Thread thread = new Thread(() -> stopReporting(broker), "stop-" + broker.name());
            thread.start();
            stopping.add(thread);
        }
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void stopReporting(Child child) {
        if (!child.isAlive()) {
            return;
        }
        long started = System.nanoTime();
        try {
            child.stop();
            System.out.printf("  %-13s stopped in %.1f s%n", child.name(), seconds(started));
        } catch (RuntimeException e) {
            System.err.printf("  %-13s could not be stopped: %s%n", child.name(), e.getMessage());
        }
    }

    /** Whether some part still runs. */
    public boolean isAnyAlive() {
        return children().stream().anyMatch(Child::isAlive);
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

    private void startTogether(List<Child> children) {
        long started = System.nanoTime();
        children.forEach(this::launch);
        for (Child child : children) {
            child.awaitReady();
            report(child, started);
        }
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

    private void requireFree(Collection<String> portNames) {
        Map<String, Integer> ports = options.portsByOption();
        for (String name : portNames) {
            int port = ports.get(name);
            try (var socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(port));
            } catch (IOException e) {
                String option = StackOptions.optionOf(name);
                throw new StackException(String.format("Port %d (%s, env %s) is already in use. Stop what holds it "
                        + "(ss -ltnp 'sport = :%d' shows it; an earlier stack may still be stopping) or choose "
                        + "another port: %s %d", port, name, StackOptions.envOf(option), port, option,
                        ports.get(option) + 100));
            }
        }
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
