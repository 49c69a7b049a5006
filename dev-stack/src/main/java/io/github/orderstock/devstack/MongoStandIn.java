package io.github.orderstock.devstack;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The MongoDB stand-in: mongo-java-server speaking the wire protocol, on an H2 file or in memory. {@link #main} runs
 * in the child JVM; {@link #child} is how the launcher starts it.
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
            backend = new DurableH2Backend(file.toString());
        } else if (args[2].equals("memory")) {
            backend = new MemoryBackend();
        } else {
            throw new IllegalArgumentException("backend must be h2 or memory, not " + args[2]);
        }
        var server = new MongoServer(backend);
        // Each netty worker runs the commands of its connections one at a time and waits for their commit: more
        // workers let more commands share one commit (see DurableH2Backend).
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
        List<String> command = jvm.mainClass(List.of("-Xmx1g", "-Dlog4j.configuration=child-log4j.properties"),
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

    /**
     * Acknowledges a write only once the MVStore committed it, so a {@code kill -9} of the stand-in loses nothing it
     * acknowledged (H2Backend alone leaves commits to the MVStore's background writer, once a second). Commits are
     * grouped: a command that changed something waits for a commit that started after its change; the first waiting
     * command runs that commit for every command waiting with it. One commit per command (the first version) put
     * 25 ms of waiting on every write under load (JFR, 64 clients).
     */
    static final class DurableH2Backend extends H2Backend {

        private static final Set<String> WRITES = Set.of("insert", "update", "delete", "findandmodify",
                "createindexes", "dropindexes", "drop", "dropdatabase", "create", "renamecollection");

        private final Object commits = new Object();
        private long requested;
        private long committed;
        private boolean committing;

        DurableH2Backend(String fileName) {
            super(fileName);
        }

        @Override
        public Document handleCommand(Channel channel, String database, String command, Document query) {
            try {
                return super.handleCommand(channel, database, command, query);
            } finally {
                if (WRITES.contains(command.toLowerCase(Locale.ROOT)) || getMvStore().hasUnsavedChanges()) {
                    awaitCommit();
                }
            }
        }

        private void awaitCommit() {
            long target;
            synchronized (commits) {
                target = ++requested;
            }
            while (true) {
                long upTo;
                synchronized (commits) {
                    while (committed < target && committing) {
                        try {
                            commits.wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                    if (committed >= target) {
                        return;
                    }
                    committing = true;
                    upTo = requested;
                }
                try {
                    commit();
                } finally {
                    synchronized (commits) {
                        committing = false;
                        committed = Math.max(committed, upTo);
                        commits.notifyAll();
                    }
                }
            }
        }
    }
}
