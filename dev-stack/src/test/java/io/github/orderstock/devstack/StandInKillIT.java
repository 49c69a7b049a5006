package io.github.orderstock.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stand-in as the stack runs it, in a child JVM on the H2 backend, killed with SIGKILL while eight clients write,
 * then started again on the same file: every acknowledged write is there, round after round. Prints what each round
 * wrote, acknowledged and found again (the figures in docs/adr/0003-embedded-stack-of-child-jvms.md).
 */
class StandInKillIT {

    private static final int WRITERS = 8;
    private static final int ROUNDS = 2;
    /** Acknowledged inserts per round before the kill (each with two updates): a few seconds of writing. */
    private static final int INSERTS_PER_ROUND = 500;
    /** The simulated disk: the largest file the stand-in may write, in KiB. */
    private static final int FULL_DISK_KIB = 4_096;

    @TempDir
    Path dir;

    private final Set<String> acknowledgedInserts = ConcurrentHashMap.newKeySet();
    private final AtomicLongArray acknowledgedIncrements = new AtomicLongArray(WRITERS);
    private final AtomicLongArray attemptedIncrements = new AtomicLongArray(WRITERS);

    @Test
    void everyAcknowledgedWriteSurvivesAKillUnderLoad() throws Exception {
        Path file = dir.resolve("mongo").resolve(MongoStandIn.H2_FILE);
        for (int round = 0; round < ROUNDS; round++) {
            int port = freePort();
            Process standIn = start(file, port);
            try (MongoClient client = client(port)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> accepts(port));
                int acknowledgedBefore = acknowledgedInserts.size();
                var stop = new AtomicBoolean();
                ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
                List<Future<?>> running = new ArrayList<>();
                for (int writer = 0; writer < WRITERS; writer++) {
                    int id = writer;
                    int r = round;
                    running.add(writers.submit(() -> write(client, r, id, stop)));
                }
                // Well past the H2 backend's own once-a-second commit, so the kill lands on a store with a history.
                await().atMost(Duration.ofSeconds(180))
                        .until(() -> acknowledgedInserts.size() >= acknowledgedBefore + INSERTS_PER_ROUND);
                standIn.destroyForcibly();
                assertThat(standIn.waitFor(30, TimeUnit.SECONDS)).isTrue();
                stop.set(true);
                for (Future<?> writer : running) {
                    writer.get(60, TimeUnit.SECONDS);
                }
                writers.shutdown();
            } finally {
                standIn.destroyForcibly();
            }
            assertThat(acknowledgedInserts).isNotEmpty();
            verify(file, round);
        }
    }

    /** Writes until told to stop; an operation that fails (the stand-in busy or killed) was not acknowledged. */
    private void write(MongoClient client, int round, int writer, AtomicBoolean stop) {
        MongoCollection<Document> orders = client.getDatabase("shop").getCollection("orders");
        MongoCollection<Document> counters = client.getDatabase("shop").getCollection("counters");
        MongoCollection<Document> products = client.getDatabase("shop").getCollection("products");
        for (int i = 0; !stop.get(); i++) {
            try {
                String id = "r" + round + "-w" + writer + "-" + i;
                orders.insertOne(new Document("_id", id).append("note", "x".repeat(300)));
                acknowledgedInserts.add(id);
                attemptedIncrements.incrementAndGet(writer);
                counters.updateOne(Filters.eq("_id", "c" + writer), Updates.inc("n", 1),
                        new UpdateOptions().upsert(true));
                acknowledgedIncrements.incrementAndGet(writer);
                // Random updates spread over many pages, so that commits rewrite and free pages all over the file.
                products.updateOne(Filters.eq("_id", "p" + ThreadLocalRandom.current().nextInt(2_000)),
                        Updates.combine(Updates.inc("stock", 1), Updates.set("filler", "y".repeat(200))),
                        new UpdateOptions().upsert(true));
            } catch (RuntimeException e) {
                // Not acknowledged; the next operation tries again.
            }
        }
    }

    /** Starts the killed stand-in again on its file, as the launcher would, checks what it holds, and stops it. */
    private void verify(Path file, int round) throws Exception {
        int port = freePort();
        Process standIn = start(file, port);
        try (MongoClient client = client(port)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> accepts(port));
            var shop = client.getDatabase("shop");
            Set<String> stored = Collections.newSetFromMap(new ConcurrentHashMap<>());
            shop.getCollection("orders").find().projection(new Document("_id", 1))
                    .forEach(document -> stored.add(document.getString("_id")));
            List<String> lost = acknowledgedInserts.stream().filter(id -> !stored.contains(id)).sorted().toList();
            System.out.printf("StandInKillIT round %d: %,d inserts acknowledged so far, %,d stored after the kill and "
                    + "restart, %,d acknowledged ones missing%n", round + 1, acknowledgedInserts.size(), stored.size(),
                    lost.size());
            assertThat(lost).as("acknowledged inserts missing after the kill").isEmpty();
            for (int writer = 0; writer < WRITERS; writer++) {
                Document counter = shop.getCollection("counters").find(Filters.eq("_id", "c" + writer)).first();
                long n = counter == null ? 0 : counter.getInteger("n");
                assertThat(n).as("counter of writer %d", writer)
                        .isBetween(acknowledgedIncrements.get(writer), attemptedIncrements.get(writer));
            }
        } finally {
            standIn.destroy();
            assertThat(standIn.waitFor(30, TimeUnit.SECONDS)).as("the stand-in stops on SIGTERM").isTrue();
        }
    }

    /**
     * A full disk, simulated by a limit on the size of the files the stand-in may write ({@code ulimit -f}; the JVM
     * ignores SIGXFSZ, so a write past it fails as on a full disk): the stand-in ends with exit code 75 and says what
     * to do, and once started without the limit (the space freed) it holds every write it acknowledged and takes new
     * ones.
     */
    @Test
    void aStandInThatCannotWriteItsFileEndsSayingWhatToDoAndKeepsWhatItAcknowledged() throws Exception {
        Path file = dir.resolve("full").resolve(MongoStandIn.H2_FILE);
        int port = freePort();
        Process standIn = start(file, port, FULL_DISK_KIB);
        List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        try (MongoClient client = client(port)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> accepts(port));
            MongoCollection<Document> orders = client.getDatabase("shop").getCollection("orders");
            var next = new AtomicInteger();
            // Inserts in bursts until the stand-in, unable to write, has ended.
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(10)).until(() -> {
                for (int burst = 0; burst < 50 && standIn.isAlive(); burst++) {
                    String id = "full-" + next.incrementAndGet();
                    try {
                        orders.insertOne(new Document("_id", id).append("note", "z".repeat(2_000)));
                        acknowledged.add(id);
                    } catch (RuntimeException e) {
                        // Not acknowledged: the write that met the limit, or one while the stand-in was ending.
                    }
                }
                return !standIn.isAlive();
            });
        } finally {
            standIn.destroyForcibly();
        }
        assertThat(standIn.exitValue()).isEqualTo(MongoStandIn.CANNOT_WRITE);
        assertThat(Files.readString(dir.resolve("stand-in.log")))
                .contains("The MongoDB stand-in cannot write " + file)
                .contains("Is the disk full? Free space there (df -h " + file.getParent() + " shows it)")
                .contains("starts it again");
        assertThat(acknowledged).as("writes acknowledged before the disk was full").hasSizeGreaterThan(100);

        int again = freePort();
        Process freed = start(file, again, 0);
        try (MongoClient client = client(again)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> accepts(again));
            MongoCollection<Document> orders = client.getDatabase("shop").getCollection("orders");
            Set<String> stored = new HashSet<>();
            orders.find().projection(new Document("_id", 1)).forEach(d -> stored.add(d.getString("_id")));
            System.out.printf("StandInKillIT disk full: %,d inserts acknowledged before the %d KiB limit, %,d stored "
                    + "after the restart%n", acknowledged.size(), FULL_DISK_KIB, stored.size());
            assertThat(stored).as("acknowledged writes after the restart").containsAll(acknowledged);
            orders.insertOne(new Document("_id", "after-the-space-was-freed"));
            assertThat(orders.countDocuments(Filters.eq("_id", "after-the-space-was-freed"))).isOne();
        } finally {
            freed.destroy();
            assertThat(freed.waitFor(30, TimeUnit.SECONDS)).as("the stand-in stops on SIGTERM").isTrue();
        }
    }

    private Process start(Path file, int port) throws IOException {
        return start(file, port, 0);
    }

    /** The stand-in as the launcher runs it; with {@code fileSizeLimitKib} > 0, under that {@code ulimit -f}. */
    private Process start(Path file, int port, int fileSizeLimitKib) throws IOException {
        Files.createDirectories(file.getParent());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m",
                "-Dlog4j2.configurationFile=child-log4j2.properties", "-cp", System.getProperty("java.class.path"),
                "io.github.orderstock.devstack.MongoStandIn", "127.0.0.1", String.valueOf(port), "h2",
                file.toString()));
        if (fileSizeLimitKib > 0) {
            command.addAll(0, List.of("bash", "-c", "ulimit -f " + fileSizeLimitKib + " && exec \"$0\" \"$@\""));
        }
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stand-in.log").toFile()))
                .start();
    }

    private static MongoClient client(int port) {
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + port))
                .retryWrites(false)
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(10, TimeUnit.SECONDS))
                .applyToSocketSettings(socket -> socket.connectTimeout(2, TimeUnit.SECONDS)
                        .readTimeout(10, TimeUnit.SECONDS))
                .build());
    }

    private static boolean accepts(int port) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
