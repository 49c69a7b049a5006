package io.github.orderstock.devstack;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The MongoDB stand-in: mongo-java-server speaking the wire protocol, with one of the backends it publishes: H2 (a
 * file, {@link CommittingH2Backend}) or memory.
 * {@link #main} runs in the child JVM; {@link #child} is how the launcher starts it.
 */
final class MongoStandIn {

    private MongoStandIn() {
    }

    private static final int WORKER_THREADS = 16;
    /** The exit code of a stand-in that could not write its file (EX_TEMPFAIL: try again later). */
    static final int CANNOT_WRITE = 75;
    /** The H2 backend's file in {@code <data>/mongo}. */
    static final String H2_FILE = "h2-backend.mv";
    /** The file of the storage engine the stand-in ran before issue 12. */
    private static final String RETIRED_FILE = "shop.mv";

    /** {@code MongoStandIn host port h2|memory [h2-file]} */
    public static void main(String[] args) {
        if (args.length < 3 || (args[2].equals("h2") && args.length < 4)) {
            System.err.println("Usage: MongoStandIn HOST PORT h2|memory [H2_FILE]");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        MongoBackend backend = switch (args[2]) {
            case "h2" -> {
                Path file = Path.of(args[3]).toAbsolutePath();
                yield CommittingH2Backend.open(file, failure -> cannotWrite(file, failure));
            }
            case "memory" -> new MemoryBackend();
            default -> throw new IllegalArgumentException("backend must be h2 or memory, not " + args[2]);
        };
        var server = new MongoServer(backend);
        // Each netty worker runs the commands of its connections one at a time and waits for their commit: more
        // workers let more commands share one commit (see CommittingH2Backend).
        server.bind(new InetSocketAddress(host, port), 1, WORKER_THREADS);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("mongo stand-in shutting down");
            server.shutdown();
        }, "mongo-shutdown"));
        System.out.printf("mongo stand-in (%s) listening on %s:%d%n", args[2], host, port);
        // Netty's event loop threads keep the JVM running.
    }

    /**
     * The H2 file cannot be written (a full disk, most likely): the MVStore has closed itself and would refuse every
     * command from now on, so the stand-in ends, saying what to do, and the launcher starts it again with back-off.
     */
    private static void cannotWrite(Path file, Throwable failure) {
        System.err.printf("%nThe MongoDB stand-in cannot write %s (%s). Every write it acknowledged is in the "
                + "file. Is the disk full? Free space there (df -h %s shows it). The stand-in exits now (code %d); "
                + "./start's launcher starts it again, with back-off, until it can write, and the services recover "
                + "on their own. Without the launcher, start it again once there is space.%n", file, failure,
                file.getParent(), CANNOT_WRITE);
        // halt, not exit: the shutdown hook would close the dead store, and this may run on a server thread.
        Runtime.getRuntime().halt(CANNOT_WRITE);
    }

    static Child child(StackOptions options, Jvm jvm) {
        String backend = options.mongoBackend().name().toLowerCase(Locale.ROOT);
        Path dir = options.dataDir().resolve("mongo");
        Path file = dir.resolve(H2_FILE);
        List<String> command = jvm.mainClass(List.of("-Xmx1g", "-Dlog4j2.configurationFile=child-log4j2.properties"),
                MongoStandIn.class.getName(), "127.0.0.1", String.valueOf(options.mongoPort()), backend,
                file.toString());
        int port = options.mongoPort();
        return new Child(new Child.Spec("mongo", "mongodb://127.0.0.1:" + port, port,
                options.dataDir().resolve("logs").resolve("mongo.log"), options.dataDir().resolve("mongo"), command,
                Map.of(), () -> refuseRetiredStore(dir, options.mongoBackend()), () -> accepts(port),
                Duration.ofSeconds(30), Duration.ofSeconds(15)));
    }

    /**
     * Until issue 12 the stand-in ran a storage engine of our own in {@code mongo/shop.mv} (plus
     * {@code shop.mv.journal.*}); mongo-java-server's H2 backend cannot read it, and opening it would look like an
     * empty database beside a Kafka topic full of events. Nothing is converted: the user is told to move it away.
     */
    static void refuseRetiredStore(Path dir, StackOptions.MongoBackend backend) {
        if (backend != StackOptions.MongoBackend.H2 || !Files.exists(dir.resolve(RETIRED_FILE))) {
            return;
        }
        Path dataDir = dir.getParent();
        throw new StackException(String.format("""
                %s was written by the MongoDB stand-in's former storage engine, which is gone: the stand-in now \
                runs mongo-java-server's own H2 backend (%s), which cannot read that file. Its documents and the \
                Kafka topic in the same data directory belong together, so keep them together: move the whole data \
                directory away and start afresh (nothing is deleted),
                    mv %s %s.before-h2 && ./start
                or start on another directory: ./start --data-dir DIR""", dir.resolve(RETIRED_FILE),
                dir.resolve(H2_FILE), dataDir, dataDir));
    }

    /** The server binds only after its backend is open, so an accepted connection means it serves. */
    private static boolean accepts(int port) throws Exception {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        }
    }
}
