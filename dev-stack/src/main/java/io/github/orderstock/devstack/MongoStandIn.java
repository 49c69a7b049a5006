package io.github.orderstock.devstack;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.github.orderstock.devstack.mongo.DurableBsonBackend;
import io.github.orderstock.devstack.mongo.UnreadableStoreException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The MongoDB stand-in: mongo-java-server speaking the wire protocol, on an H2 MVStore file or in memory.
 * {@link #main} runs in the child JVM; {@link #child} is how the launcher starts it.
 */
final class MongoStandIn {

    private MongoStandIn() {
    }

    private static final int WORKER_THREADS = 16;

    /** {@code MongoStandIn host port h2|memory [h2-file]} */
    public static void main(String[] args) throws Exception {
        if (args.length < 3 || (args[2].equals("h2") && args.length < 4)) {
            System.err.println("Usage: MongoStandIn HOST PORT h2|memory [H2_FILE]");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        MongoBackend backend;
        if (args[2].equals("h2")) {
            Path file = Path.of(args[3]).toAbsolutePath();
            Files.createDirectories(file.getParent());
            try {
                backend = new DurableBsonBackend(file);
            } catch (UnreadableStoreException e) {
                System.err.println(e.getMessage());
                System.exit(1);
                return;
            }
        } else if (args[2].equals("memory")) {
            backend = new MemoryBackend();
        } else {
            throw new IllegalArgumentException("backend must be h2 or memory, not " + args[2]);
        }
        var server = new MongoServer(backend);
        // Each netty worker runs the commands of its connections one at a time and waits for their commit: more
        // workers let more commands share one commit (see DurableBsonBackend).
        server.bind(new InetSocketAddress(host, port), 1, WORKER_THREADS);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("mongo stand-in shutting down");
            server.shutdown();
        }, "mongo-shutdown"));
        System.out.printf("mongo stand-in (%s) listening on %s:%d%n", args[2], host, port);
        // Netty's event loop threads keep the JVM running.
    }

    static Child child(StackOptions options, Jvm jvm) {
        String backend = options.mongoBackend().name().toLowerCase(Locale.ROOT);
        Path file = options.dataDir().resolve("mongo").resolve("shop.mv");
        List<String> command = jvm.mainClass(List.of("-Xmx1g", "-Dlog4j2.configurationFile=child-log4j2.properties"),
                MongoStandIn.class.getName(), "127.0.0.1", String.valueOf(options.mongoPort()), backend,
                file.toString());
        int port = options.mongoPort();
        return new Child("mongo", "mongodb://127.0.0.1:" + port, port,
                options.dataDir().resolve("logs").resolve("mongo.log"), options.dataDir().resolve("mongo"), command,
                Map.of(), () -> { }, () -> accepts(port), Duration.ofSeconds(30), Duration.ofSeconds(15));
    }

    /** The server binds only after its backend is open, so an accepted connection means it serves. */
    private static boolean accepts(int port) throws Exception {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        }
    }
}
