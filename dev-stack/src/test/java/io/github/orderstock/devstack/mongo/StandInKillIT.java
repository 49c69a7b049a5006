package io.github.orderstock.devstack.mongo;

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
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stand-in as the stack runs it, in a child JVM on the H2 backend, killed with SIGKILL while eight clients write:
 * after each kill every acknowledged write is there, across checkpoints and journal replays.
 */
class StandInKillIT {

    private static final int WRITERS = 8;
    private static final int ROUNDS = 3;

    @TempDir
    Path dir;

    private final Set<String> acknowledgedInserts = ConcurrentHashMap.newKeySet();
    private final AtomicLongArray acknowledgedIncrements = new AtomicLongArray(WRITERS);
    private final AtomicLongArray attemptedIncrements = new AtomicLongArray(WRITERS);

    @Test
    void everyAcknowledgedWriteSurvivesAKillUnderLoad() throws Exception {
        Path file = dir.resolve("mongo").resolve("shop.mv");
        for (int round = 0; round < ROUNDS; round++) {
            int port = freePort();
            Process standIn = start(file, port);
            try (MongoClient client = client(port)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> accepts(port));
                long generation = newestJournal(file);
                var stop = new AtomicBoolean();
                ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
                List<Future<?>> running = new ArrayList<>();
                for (int writer = 0; writer < WRITERS; writer++) {
                    int id = writer;
                    int r = round;
                    running.add(writers.submit(() -> write(client, r, id, stop)));
                }
                // Two checkpoints under load: the kill then lands on a store with a history of rotated journals.
                await().atMost(Duration.ofSeconds(60)).until(() -> newestJournal(file) >= generation + 2);
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
            verify(file);
        }
    }

    private void write(MongoClient client, int round, int writer, AtomicBoolean stop) {
        MongoCollection<Document> orders = client.getDatabase("shop").getCollection("orders");
        MongoCollection<Document> counters = client.getDatabase("shop").getCollection("counters");
        MongoCollection<Document> products = client.getDatabase("shop").getCollection("products");
        try {
            for (int i = 0; !stop.get(); i++) {
                String id = "r" + round + "-w" + writer + "-" + i;
                orders.insertOne(new Document("_id", id).append("note", "x".repeat(300)));
                acknowledgedInserts.add(id);
                attemptedIncrements.incrementAndGet(writer);
                counters.updateOne(Filters.eq("_id", "c" + writer), Updates.inc("n", 1),
                        new UpdateOptions().upsert(true));
                acknowledgedIncrements.incrementAndGet(writer);
                // Random updates spread over many pages, so that checkpoints free and reuse chunks.
                products.updateOne(Filters.eq("_id", "p" + ThreadLocalRandom.current().nextInt(20_000)),
                        Updates.combine(Updates.inc("stock", 1), Updates.set("filler", "y".repeat(200))),
                        new UpdateOptions().upsert(true));
            }
        } catch (RuntimeException e) {
            // The stand-in was killed: the operation in flight was not acknowledged.
        }
    }

    /** Opens the killed stand-in's file in this JVM, as its next start would, and checks it; closes it again. */
    private void verify(Path file) {
        try (var standIn = new RunningStandIn(new DurableBsonBackend(file))) {
            var shop = standIn.client().getDatabase("shop");
            Set<String> stored = Collections.newSetFromMap(new ConcurrentHashMap<>());
            shop.getCollection("orders").find().projection(new Document("_id", 1))
                    .forEach(document -> stored.add(document.getString("_id")));
            List<String> lost = acknowledgedInserts.stream().filter(id -> !stored.contains(id)).sorted().toList();
            assertThat(lost).as("acknowledged inserts missing after the kill").isEmpty();
            for (int writer = 0; writer < WRITERS; writer++) {
                Document counter = shop.getCollection("counters").find(Filters.eq("_id", "c" + writer)).first();
                long n = counter == null ? 0 : counter.getInteger("n");
                assertThat(n).as("counter of writer %d", writer)
                        .isBetween(acknowledgedIncrements.get(writer), attemptedIncrements.get(writer));
            }
        }
    }

    private Process start(Path file, int port) throws IOException {
        Files.createDirectories(file.getParent());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-Xmx256m", "-Dlog4j2.configurationFile=child-log4j2.properties",
                "-cp", System.getProperty("java.class.path"), "io.github.orderstock.devstack.MongoStandIn",
                "127.0.0.1", String.valueOf(port), "h2", file.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stand-in.log").toFile()))
                .start();
    }

    private static MongoClient client(int port) {
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + port))
                .retryWrites(false)
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(2, TimeUnit.SECONDS))
                .applyToSocketSettings(socket -> socket.connectTimeout(2, TimeUnit.SECONDS)
                        .readTimeout(10, TimeUnit.SECONDS))
                .build());
    }

    private static long newestJournal(Path file) {
        List<Long> generations = Files.isDirectory(file.getParent()) ? Journal.generations(file) : List.of();
        return generations.isEmpty() ? 0 : generations.get(generations.size() - 1);
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
