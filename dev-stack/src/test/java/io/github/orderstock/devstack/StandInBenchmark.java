package io.github.orderstock.devstack;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;

/**
 * Throughput of the stand-in's backends through the real driver, server and clients in this JVM, each on a fresh temp
 * file, on an empty store and on one preloaded with documents of ~400 bytes: {@code memory} (mongo-java-server's
 * memory backend), {@code h2} (its H2 backend exactly as published: commits once a second in the background) and
 * {@code h2-committed} ({@link CommittingH2Backend}, what {@code ./start} runs: committed before each answer). Not a
 * test; run it by hand (about four minutes with the defaults):
 * <pre>
 * ./mvnw -o -q -pl dev-stack -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt \
 *     -Dmdep.includeScope=test
 * cd dev-stack &amp;&amp; java -Xmx1g -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     io.github.orderstock.devstack.StandInBenchmark 4 100000 memory,h2,h2-committed
 * </pre>
 *
 * <p>Arguments: {@code [seconds per workload, default 4] [preloaded documents, default 100000] [backends: memory, h2,
 * h2-committed or the mongodb:// URI of a stand-in running elsewhere; default memory,h2,h2-committed]}. The system
 * property {@code workloads} (name prefixes separated by semicolons) picks workloads.
 */
public final class StandInBenchmark {

    private StandInBenchmark() {
    }

    private static final String FILLER = "x".repeat(150);

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int preload = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        List<String> backends = List.of((args.length > 2 ? args[2] : "memory,h2,h2-committed").split(","));
        Map<String, Map<String, Double>> results = new LinkedHashMap<>();
        // Warms up the driver, the wire protocol and the query engine, which all backends share.
        run("memory", 0, 1);
        for (int size : List.of(0, preload)) {
            for (String backend : backends) {
                String column = backend + " @" + size;
                System.out.printf("%n== %s ==%n", column);
                results.put(column, run(backend, size, seconds));
            }
        }
        print(results);
    }

    private static Map<String, Double> run(String backendName, int size, int seconds) throws Exception {
        Path dir = Files.createTempDirectory("stand-in-benchmark");
        Path file = dir.resolve("shop.mv");
        Map<String, Double> rates = new LinkedHashMap<>();
        try (var standIn = standIn(backendName, file)) {
            MongoCollection<Document> orders = standIn.client().getDatabase("bench").getCollection("orders");
            orders.drop();
            var ids = new AtomicLong();
            long loadStart = System.nanoTime();
            while (ids.get() < size) {
                orders.insertMany(batch(ids, Math.min(1_000, size - (int) ids.get())));
            }
            if (size > 0) {
                System.out.printf("preloaded %,d documents in %.1f s%n", size, (System.nanoTime() - loadStart) / 1e9);
            }
            measure(rates, "insertOne, 1 client", 1, seconds, () -> {
                orders.insertOne(order(ids.incrementAndGet()));
                return 1;
            });
            measure(rates, "insertOne, 16 clients", 16, seconds, () -> {
                orders.insertOne(order(ids.incrementAndGet()));
                return 1;
            });
            measure(rates, "insertMany 1,000 (docs/s)", 1, seconds, () -> {
                orders.insertMany(batch(ids, 1_000));
                return 1_000;
            });
            long existing = ids.get();
            measure(rates, "bulk upsert 1,000 by random _id (docs/s)", 1, seconds, () -> {
                List<UpdateOneModel<Document>> upserts = new ArrayList<>();
                for (int i = 0; i < 1_000; i++) {
                    upserts.add(new UpdateOneModel<>(Filters.eq("_id", id(random(existing * 2))),
                            Updates.combine(Updates.inc("quantity", 1), Updates.setOnInsert("status", "NEW")),
                            new UpdateOptions().upsert(true)));
                }
                orders.bulkWrite(upserts, new BulkWriteOptions().ordered(false));
                return 1_000;
            });
            long all = ids.get();
            measure(rates, "find by _id, 1 client", 1, seconds, () -> {
                orders.find(Filters.eq("_id", id(random(all)))).first();
                return 1;
            });
            measure(rates, "find by _id, 16 clients", 16, seconds, () -> {
                orders.find(Filters.eq("_id", id(random(all)))).first();
                return 1;
            });
            measure(rates, "find $in of 100 _ids (queries/s)", 1, seconds, () -> {
                List<String> keys = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    keys.add(id(random(all)));
                }
                orders.find(Filters.in("_id", keys)).into(new ArrayList<>());
                return 1;
            });
            measure(rates, "updateOne $inc by _id, 1 client", 1, seconds, () -> {
                orders.updateOne(Filters.eq("_id", id(random(all))), Updates.inc("quantity", 1));
                return 1;
            });
            measure(rates, "updateOne $inc by _id, 16 clients", 16, seconds, () -> {
                orders.updateOne(Filters.eq("_id", id(random(all))), Updates.inc("quantity", 1));
                return 1;
            });
            if (Files.exists(file)) {
                System.out.printf("file %,d bytes%n", Files.size(file));
            }
        } finally {
            deleteAll(dir);
        }
        return rates;
    }

    private static RunningStandIn standIn(String backend, Path file) {
        if (backend.startsWith("mongodb://")) {
            return new RunningStandIn(backend);
        }
        return new RunningStandIn(switch (backend) {
            case "memory" -> new MemoryBackend();
            case "h2" -> new H2Backend(file.toString());
            case "h2-committed" -> CommittingH2Backend.open(file, failure -> {
                throw new IllegalStateException("cannot write " + file, failure);
            });
            default -> throw new IllegalArgumentException(
                    "backend must be memory, h2, h2-committed or a mongodb:// URI");
        });
    }

    /**
     * Runs {@code operation} on {@code clients} threads for a warm-up second, then for {@code seconds}, unless the
     * system property {@code workloads} names others (name prefixes separated by semicolons).
     */
    private static void measure(Map<String, Double> rates, String name, int clients, int seconds,
                                Operation operation) throws Exception {
        String workloads = System.getProperty("workloads");
        if (workloads != null && Arrays.stream(workloads.split(";")).noneMatch(name::startsWith)) {
            return;
        }
        System.out.printf("  %s ...%n", name);
        run(clients, 1, operation);
        double rate = run(clients, seconds, operation);
        System.out.printf("  %s: %,.0f/s%n", name, rate);
        rates.put(name, rate);
    }

    private static double run(int clients, int seconds, Operation operation) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        try {
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            List<Future<Long>> counts = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                counts.add(threads.submit(() -> {
                    long done = 0;
                    while (System.nanoTime() < end) {
                        done += operation.run();
                    }
                    return done;
                }));
            }
            long total = 0;
            for (Future<Long> count : counts) {
                total += count.get();
            }
            return total / ((System.nanoTime() - start) / 1e9);
        } finally {
            threads.shutdownNow();
        }
    }

    private interface Operation {
        int run() throws Exception;
    }

    private static long random(long bound) {
        return ThreadLocalRandom.current().nextLong(Math.max(1, bound)) + 1;
    }

    private static String id(long n) {
        return "order-" + n;
    }

    private static List<Document> batch(AtomicLong ids, int count) {
        List<Document> batch = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            batch.add(order(ids.incrementAndGet()));
        }
        return batch;
    }

    /** About 400 bytes of BSON, shaped like an order. */
    private static Document order(long n) {
        return new Document("_id", id(n))
                .append("productId", "product-" + (n % 1_000))
                .append("quantity", (int) (n % 7) + 1)
                .append("customer", "customer-" + (n % 5_000))
                .append("status", "PLACED")
                .append("placedAt", new Date())
                .append("lines", List.of(line(n, 1), line(n, 2), line(n, 3)))
                .append("note", FILLER);
    }

    private static Document line(long n, int i) {
        return new Document("sku", "sku-" + (n + i) % 10_000).append("qty", i).append("price", 9.99 * i);
    }

    /** One column per backend and size. */
    private static void print(Map<String, Map<String, Double>> results) {
        List<String> columns = new ArrayList<>(results.keySet());
        System.out.printf("%n%-42s", "ops/s");
        for (String column : columns) {
            System.out.printf("%20s", column);
        }
        System.out.println();
        for (String row : results.values().iterator().next().keySet()) {
            System.out.printf("%-42s", row);
            for (String column : columns) {
                System.out.printf("%,20.0f", results.get(column).getOrDefault(row, Double.NaN));
            }
            System.out.println();
        }
    }

    private static void deleteAll(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
        }
    }
}
