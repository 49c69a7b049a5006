package io.github.orderstock.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * A single Kafka broker in KRaft combined mode (broker and controller in one JVM) whose logs live in
 * {@code <data>/kafka}, so that topics, the replay source, survive a restart.
 */
final class KafkaBroker {

    private final Path dir;
    private final Path logDirs;
    private final Path logFile;
    private final int port;
    private final int controllerPort;
    private final Jvm jvm;

    private KafkaBroker(StackOptions options, Jvm jvm) {
        this.dir = options.dataDir().resolve("kafka");
        this.logDirs = dir.resolve("logs");
        this.logFile = options.dataDir().resolve("logs").resolve("kafka.log");
        this.port = options.kafkaPort();
        this.controllerPort = options.kafkaControllerPort();
        this.jvm = jvm;
    }

    static Child child(StackOptions options, Jvm jvm) {
        var broker = new KafkaBroker(options, jvm);
        List<String> command = jvm.mainClass(List.of("-Xmx512m", "-Xms256m", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=child-log4j2.properties"), "kafka.Kafka", broker.serverProperties().toString());
        return new Child("kafka", bootstrapServers(options), options.kafkaPort(), broker.logFile, broker.dir, command,
                Map.of(), broker::prepare, broker::ready, Duration.ofSeconds(60), Duration.ofSeconds(30));
    }

    static String bootstrapServers(StackOptions options) {
        return "127.0.0.1:" + options.kafkaPort();
    }

    private Path serverProperties() {
        return dir.resolve("server.properties");
    }

    /** Writes server.properties (ports may differ from the last run) and formats the storage on first use only. */
    private void prepare() {
        try {
            Files.createDirectories(logDirs);
            Files.writeString(serverProperties(), """
                    # Written by dev-stack on every start; edit the launcher, not this file.
                    process.roles=broker,controller
                    node.id=1
                    controller.quorum.voters=1@127.0.0.1:%2$d
                    listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                    advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
                    listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                    controller.listener.names=CONTROLLER
                    inter.broker.listener.name=PLAINTEXT
                    log.dirs=%3$s
                    num.partitions=1
                    auto.create.topics.enable=false
                    offsets.topic.replication.factor=1
                    # Fewer offset partitions than the default 50: the first consumer group starts faster.
                    offsets.topic.num.partitions=5
                    transaction.state.log.replication.factor=1
                    transaction.state.log.min.isr=1
                    group.initial.rebalance.delay.ms=0
                    # After a kill -9 the controller keeps the dead broker's registration until its session times
                    # out (default 9 s), and the restarted broker waits for that.
                    broker.session.timeout.ms=4000
                    broker.heartbeat.interval.ms=1000
                    # The event topic is the replay source: nothing expires unless a topic says so.
                    log.retention.ms=-1
                    """.formatted(port, controllerPort, logDirs));
            if (!Files.exists(logDirs.resolve("meta.properties"))) {
                format();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare " + dir, e);
        }
    }

    private void format() throws IOException {
        Path clusterIdFile = dir.resolve("cluster.id");
        if (!Files.exists(clusterIdFile)) {
            Files.writeString(clusterIdFile, Uuid.randomUuid().toString());
        }
        String clusterId = Files.readString(clusterIdFile).trim();
        List<String> command = jvm.mainClass(List.of("-Xmx256m", "-Dlog4j2.configurationFile=child-log4j2.properties"),
                "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", serverProperties().toString());
        Process format = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
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

    /** Ready when the broker answers a cluster description; a plain connect first spares an admin client per try. */
    private boolean ready() throws Exception {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        }
        var config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
        try (Admin admin = Admin.create(config)) {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(3_000))
                    .nodes().get(4, TimeUnit.SECONDS).isEmpty();
        }
    }
}
