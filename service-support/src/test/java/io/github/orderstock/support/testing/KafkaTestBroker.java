package io.github.orderstock.support.testing;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka broker (KRaft, broker and controller in one) inside the test's JVM, on free loopback ports, with its
 * logs in a temporary folder: for module tests that need the topic the services share, without the dev stack.
 */
public final class KafkaTestBroker implements AutoCloseable {

    private final Path dir;
    private final KafkaRaftServer server;
    private final int port;

    private KafkaTestBroker(Path dir, KafkaRaftServer server, int port) {
        this.dir = dir;
        this.server = server;
        this.port = port;
    }

    /** Formats a fresh storage and starts the broker; returns once it was told to start (clients wait for it). */
    public static KafkaTestBroker start() {
        try {
            Path dir = Files.createTempDirectory("kafka-test-broker");
            int port = freePort();
            int controllerPort = freePort();
            Properties properties = new Properties();
            properties.put("process.roles", "broker,controller");
            properties.put("node.id", "1");
            properties.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            properties.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
            properties.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
            properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            properties.put("controller.listener.names", "CONTROLLER");
            properties.put("inter.broker.listener.name", "PLAINTEXT");
            properties.put("log.dirs", dir.resolve("logs").toString());
            properties.put("num.partitions", "1");
            properties.put("auto.create.topics.enable", "false");
            properties.put("offsets.topic.replication.factor", "1");
            properties.put("offsets.topic.num.partitions", "1");
            properties.put("transaction.state.log.replication.factor", "1");
            properties.put("transaction.state.log.min.isr", "1");
            properties.put("group.initial.rebalance.delay.ms", "0");
            properties.put("log.retention.ms", "-1");
            Path config = dir.resolve("server.properties");
            try (var out = Files.newOutputStream(config)) {
                properties.store(out, "KafkaTestBroker");
            }
            int formatted = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c",
                    config.toString()}, new PrintStream(PrintStream.nullOutputStream()));
            if (formatted != 0) {
                throw new IllegalStateException("Formatting the Kafka test broker's storage failed: " + formatted);
            }
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
            server.startup();
            return new KafkaTestBroker(dir, server, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary folder; nothing depends on it being gone
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
