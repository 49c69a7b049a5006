package io.github.orderstock.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka broker in KRaft combined mode (broker and controller in one JVM) whose logs live in the data directory, so
 * that topics, the replay source, survive a restart. Alone, it is {@code <data>/kafka}; in a cluster
 * ({@link #cluster}), three of them form the controller quorum together, each in {@code <data>/kafka-<node id>}.
 */
final class KafkaBroker {

    private final int nodeId;
    private final Path dir;
    private final Path logDirs;
    private final Path logFile;
    private final Path clusterIdFile;
    private final int port;
    private final int controllerPort;
    private final String quorumVoters;
    private final boolean replicated;
    private final Jvm jvm;

    private KafkaBroker(int nodeId, String name, Path dataDir, int port, int controllerPort, String quorumVoters,
                        boolean replicated, Jvm jvm) {
        this.nodeId = nodeId;
        this.dir = dataDir.resolve(name);
        this.logDirs = dir.resolve("logs");
        this.logFile = dataDir.resolve("logs").resolve(name + ".log");
        // The brokers of a cluster are formatted with one cluster id.
        this.clusterIdFile = replicated ? dataDir.resolve("kafka-cluster.id") : dir.resolve("cluster.id");
        this.port = port;
        this.controllerPort = controllerPort;
        this.quorumVoters = quorumVoters;
        this.replicated = replicated;
        this.jvm = jvm;
    }

    static Child child(StackOptions options, Jvm jvm) {
        var broker = new KafkaBroker(1, "kafka", options.dataDir(), options.kafkaPort(), options.kafkaControllerPort(),
                "1@127.0.0.1:" + options.kafkaControllerPort(), false, jvm);
        return broker.child("kafka", "-Xmx512m", "-Xms256m", Duration.ofSeconds(60), broker::prepare);
    }

    /**
     * Three brokers that are also the three voters of the controller quorum, as in docker-compose.production.yml:
     * every topic keeps three copies and takes an {@code acks=all} write once two have it, so one broker may die.
     * Node {@code i} is the i-th of {@link StackOptions#kafkaPorts()}. They must be launched together: a controller
     * waits for a majority of the quorum.
     */
    static List<Child> cluster(StackOptions options, Jvm jvm) {
        List<Integer> ports = options.kafkaPorts();
        List<Integer> controllerPorts = options.kafkaControllerPorts();
        List<String> voters = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            voters.add((i + 1) + "@127.0.0.1:" + controllerPorts.get(i));
        }
        List<KafkaBroker> brokers = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            brokers.add(new KafkaBroker(i + 1, "kafka-" + (i + 1), options.dataDir(), ports.get(i),
                    controllerPorts.get(i), String.join(",", voters), true, jvm));
        }
        // Three brokers share the two cores with everything else; the single broker's 512 MB is not needed by each
        // of them at this traffic. Whichever is launched first formats the storage of all, in parallel.
        return brokers.stream().map(broker -> broker.child(broker.dir.getFileName().toString(), "-Xmx256m", "-Xms128m",
                Duration.ofSeconds(90), () -> prepareAll(brokers))).toList();
    }

    private Child child(String name, String maxHeap, String initialHeap, Duration readyTimeout, Runnable prepare) {
        List<String> command = jvm.mainClass(List.of(maxHeap, initialHeap, "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=child-log4j2.properties"), "kafka.Kafka", serverProperties().toString());
        return new Child(new Child.Spec(name, "127.0.0.1:" + port, port, logFile, dir, command, Map.of(), prepare,
                this::ready, readyTimeout, Duration.ofSeconds(30)));
    }

    /** Writes every broker's server.properties and formats, side by side, the storage of those never formatted. */
    private static void prepareAll(List<KafkaBroker> brokers) {
        try {
            List<KafkaBroker> unformatted = new ArrayList<>();
            for (KafkaBroker broker : brokers) {
                broker.writeServerProperties();
                if (!broker.isFormatted()) {
                    unformatted.add(broker);
                }
            }
            List<Process> formats = new ArrayList<>();
            for (KafkaBroker broker : unformatted) {
                formats.add(broker.startFormat());
            }
            for (int i = 0; i < unformatted.size(); i++) {
                unformatted.get(i).awaitFormat(formats.get(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare the Kafka brokers", e);
        }
    }

    static String bootstrapServers(StackOptions options) {
        return options.kafkaPorts().stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    private Path serverProperties() {
        return dir.resolve("server.properties");
    }

    /** Writes server.properties (ports may differ from the last run) and formats the storage on first use only. */
    private void prepare() {
        try {
            writeServerProperties();
            if (!isFormatted()) {
                awaitFormat(startFormat());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare " + dir, e);
        }
    }

    private boolean isFormatted() {
        return Files.exists(logDirs.resolve("meta.properties"));
    }

    private void writeServerProperties() throws IOException {
        Files.createDirectories(logDirs);
        Files.createDirectories(logFile.getParent());
        Files.writeString(serverProperties(), """
                    # Written by dev-stack on every start; edit the launcher, not this file.
                    process.roles=broker,controller
                    node.id=%4$d
                    controller.quorum.voters=%5$s
                    listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                    advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
                    listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                    controller.listener.names=CONTROLLER
                    inter.broker.listener.name=PLAINTEXT
                    log.dirs=%3$s
                    num.partitions=1
                    auto.create.topics.enable=false
                    offsets.topic.replication.factor=%6$d
                    # Fewer offset partitions than the default 50: the first consumer group starts faster.
                    offsets.topic.num.partitions=5
                    transaction.state.log.replication.factor=%6$d
                    transaction.state.log.min.isr=%7$d
                    group.initial.rebalance.delay.ms=0
                    # After a kill -9 the controller keeps the dead broker's registration until its session times
                    # out (default 9 s), and the restarted broker waits for that.
                    broker.session.timeout.ms=4000
                    broker.heartbeat.interval.ms=1000
                    # The event topic is the replay source: nothing expires unless a topic says so.
                    log.retention.ms=-1
                    # The log cleaner allocates this at start (default 128 MB): in a cluster broker's 256 MB heap
                    # that failed with OutOfMemoryError and the broker exited 1 (two cluster starts in a row, and
                    # likely the unexplained exit of an earlier one). Only Kafka's offsets topic is compacted here.
                    log.cleaner.dedupe.buffer.size=16777216
                    """.formatted(port, controllerPort, logDirs, nodeId, quorumVoters, replicated ? 3 : 1,
                    replicated ? 2 : 1) + (replicated ? """
                    # A cluster: every topic, ours and Kafka's own, keeps three copies and acknowledges an acks=all
                    # write once two have it; a replica that fell behind never becomes leader (no lost writes).
                    default.replication.factor=3
                    min.insync.replicas=2
                    unclean.leader.election.enable=false
                    """ : ""));
    }

    private Process startFormat() throws IOException {
        if (!Files.exists(clusterIdFile)) {
            Files.writeString(clusterIdFile, Uuid.randomUuid().toString());
        }
        String clusterId = Files.readString(clusterIdFile).trim();
        List<String> command = jvm.mainClass(List.of("-Xmx256m", "-Dlog4j2.configurationFile=child-log4j2.properties"),
                "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", serverProperties().toString());
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
    }

    private void awaitFormat(Process format) {
        try {
            if (!format.waitFor(60, TimeUnit.SECONDS)) {
                format.destroyForcibly();
                throw new StackException("Formatting the Kafka storage in " + logDirs + " took over 60 s. Last lines of "
                        + logFile + ":\n" + Child.tail(logFile, 30));
            }
        } catch (InterruptedException e) {
            format.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while formatting the Kafka storage", e);
        }
        if (format.exitValue() != 0) {
            throw new StackException("Formatting the Kafka storage in " + logDirs + " failed (exit " + format.exitValue()
                    + "). Last lines of " + logFile + ":\n" + Child.tail(logFile, 30));
        }
    }

    /**
     * Ready when the broker answers a cluster description that lists this broker (so that, in a cluster, it has
     * registered with the quorum); a plain connect first spares an admin client per try.
     */
    private boolean ready() throws Exception {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        }
        var config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
        try (Admin admin = Admin.create(config)) {
            return admin.describeCluster(new DescribeClusterOptions().timeoutMs(3_000))
                    .nodes().get(4, TimeUnit.SECONDS).stream().anyMatch(node -> node.id() == nodeId);
        }
    }
}
