package io.github.orderstock.benchmark.replay;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.github.orderstock.benchmark.BenchmarkException;
import io.github.orderstock.benchmark.PhaseContext;
import io.github.orderstock.benchmark.report.Figures;
import io.github.orderstock.benchmark.stack.CpuMeter;
import io.github.orderstock.benchmark.stack.ReadModel;
import io.github.orderstock.benchmark.stack.StackUnderTest;
import io.github.orderstock.events.OrderPlacedEvent;
import io.github.orderstock.events.ProductAddedEvent;
import io.github.orderstock.testsupport.EventRecords;
import io.github.orderstock.testsupport.ShopClient;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes synthetic events straight onto the topic (fresh products, each a ProductAddedEvent with a large stock, then
 * OrderPlacedEvents in sequence), waits until the live projection has applied them, then rebuilds the read model
 * with {@code POST /admin/replay} and checks the rebuilt documents.
 */
public record ReplayBenchmark(PhaseContext run, String bootstrapServers, String topic) {

    static final int MAX_PRODUCTS = 1_000;
    static final int STOCK = 1_000_000;
    private static final int SAMPLED_SINGLE_GETS = 20;

    /** How many orders each synthetic product gets when {@code events} events go over {@code products}. */
    static int[] ordersPerProduct(long events, int products) {
        int[] orders = new int[products];
        long remaining = events - products;
        for (int p = 0; p < products; p++) {
            orders[p] = (int) (remaining / products + (p < remaining % products ? 1 : 0));
        }
        return orders;
    }

    static int productsFor(long events) {
        return (int) Math.max(1, Math.min(MAX_PRODUCTS, events / 2));
    }

    public Figures.Replay run(long events) {
        if (events < 1) {
            throw new BenchmarkException("--replay-events must be at least 1");
        }
        int products = productsFor(events);
        int[] orders = ordersPerProduct(events, products);
        Map<String, Integer> expected = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>();
        for (int p = 0; p < products; p++) {
            String id = run.runPrefix() + "-r" + p;
            ids.add(id);
            expected.put(id, STOCK - orders[p]);
        }

        run.out().printf("[replay] writing %,d events over %,d fresh products onto topic '%s' at %s...%n", events,
                products, topic, bootstrapServers);
        CpuMeter.Mark liveMark = run.cpu().mark();
        long writeStarted = System.nanoTime();
        write(ids, orders);
        double writeSeconds = (System.nanoTime() - writeStarted) / 1e9;
        run.out().printf("[replay] written in %.1f s (%,.0f events/s); waiting for the live projection...%n",
                writeSeconds, events / writeSeconds);

        var readModel = new ReadModel(run.client(), 500);
        // Generous: 200 events/s would be slow, but still a figure; a stall is caught sooner (ReadModel.STALL).
        long liveAt = readModel.awaitStocks(expected, Duration.ofSeconds(300 + events / 200),
                "the %,d synthetic events (live consumption)".formatted(events));
        double liveSeconds = (liveAt - writeStarted) / 1e9;
        run.report().cpu(run.cpu().since(liveMark, "replay: write + live consumption"));
        run.out().printf("[replay] live projection applied them %.1f s after the first write (%,.0f events/s)%n",
                liveSeconds, events / liveSeconds);

        Map<String, Integer> before;
        try {
            before = run.client().stocks();
        } catch (IOException e) {
            throw new BenchmarkException("Cannot read GET /products before the replay: " + e, e);
        }
        run.out().printf("[replay] POST /admin/replay (the read model has %,d products; the query side clears it "
                + "inside the request)...%n", before.size());
        CpuMeter.Mark replayMark = run.cpu().mark();
        long replayStarted = System.nanoTime();
        double resetSeconds = 0;
        ShopClient.ReplayState done;
        try {
            run.client().startReplay();
            resetSeconds = (System.nanoTime() - replayStarted) / 1e9;
            run.out().printf("[replay] accepted after %.1f s; rebuilding...%n", resetSeconds);
            done = awaitCompleted();
        } catch (BenchmarkException e) {
            // What was measured before stays in the run.report(): the write and the live consumption.
            run.report().replay(new Figures.Replay(events, products, writeSeconds, liveSeconds,
                    events / liveSeconds, 0, 0, resetSeconds, 0, 0, (System.nanoTime() - replayStarted) / 1e9, false,
                    "NOT rebuilt: the replay failed (see below)"));
            throw e;
        }
        run.report().cpu(run.cpu().since(replayMark, "replay: rebuild"));
        double wallSeconds = (System.nanoTime() - replayStarted) / 1e9;
        double replaySeconds = Duration.between(done.startedAt(), done.completedAt()).toNanos() / 1e9;
        double rate = replaySeconds > 0 ? done.recordsReplayed() / replaySeconds : 0;
        run.out().printf("[replay] COMPLETED: %,d records in %.1f s (%,.0f events/s)%n", done.recordsReplayed(),
                replaySeconds, rate);

        Verification verification = verify(before, expected);
        run.out().println("[replay] rebuilt read model: " + verification.text());
        return new Figures.Replay(events, products, writeSeconds, liveSeconds, events / liveSeconds,
                done.recordsToReplay(), done.recordsReplayed(), resetSeconds, replaySeconds, rate, wallSeconds,
                verification.ok(), verification.text());
    }

    private void write(List<String> ids, int[] orders) {
        var config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "benchmark-replay-writer");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        var records = new EventRecords(topic);
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        Callback callback = (metadata, exception) -> {
            if (exception != null) {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, exception);
            }
        };
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            try {
                producer.partitionsFor(topic);
            } catch (RuntimeException e) {
                throw new BenchmarkException(("Topic '%s' is not available at %s (%s). Is it the stack's Kafka, and "
                        + "the right topic (--kafka-topic)?").formatted(topic, bootstrapServers, e.getMessage()), e);
            }
            for (String id : ids) {
                producer.send(records.productAdded(new ProductAddedEvent(id, "Replay benchmark " + id, STOCK),
                        System.currentTimeMillis()), callback);
            }
            int most = 0;
            for (int count : orders) {
                most = Math.max(most, count);
            }
            for (int sequence = 1; sequence <= most && failed.get() == 0; sequence++) {
                for (int p = 0; p < ids.size(); p++) {
                    if (sequence <= orders[p]) {
                        String product = ids.get(p);
                        producer.send(records.orderPlaced(new OrderPlacedEvent(product + "-" + sequence, product, 1),
                                sequence, System.currentTimeMillis()), callback);
                    }
                }
            }
            producer.flush();
        } catch (KafkaException e) {
            throw new BenchmarkException("Writing the synthetic events to %s failed: %s".formatted(bootstrapServers,
                    e), e);
        }
        if (failed.get() > 0) {
            throw new BenchmarkException("%,d synthetic event(s) could not be written to topic '%s' at %s, e.g.: %s"
                    .formatted(failed.get(), topic, bootstrapServers, firstFailure.get()));
        }
    }

    private ShopClient.ReplayState awaitCompleted() {
        long started = System.nanoTime();
        long lastProgressAt = started;
        long lastReplayed = -1;
        long lastPrinted = started;
        ShopClient.ReplayState state = null;
        while (true) {
            try {
                state = run.client().replayState();
            } catch (IOException e) {
                run.out().println("[replay] GET /admin/replay failed: " + e.getMessage() + "; trying again");
            }
            long now = System.nanoTime();
            if (state != null) {
                if (state.completed() && state.startedAt() != null && state.completedAt() != null) {
                    return state;
                }
                if (state.recordsReplayed() != lastReplayed) {
                    lastReplayed = state.recordsReplayed();
                    lastProgressAt = now;
                }
                if (now - lastPrinted > TimeUnit.SECONDS.toNanos(15)) {
                    lastPrinted = now;
                    run.out().printf("[replay] %s: %,d of %,d records replayed%n", state.state(),
                            state.recordsReplayed(), state.recordsToReplay());
                }
                long deadline = TimeUnit.SECONDS.toNanos(300 + state.recordsToReplay() / 200);
                if (now - started > deadline || now - lastProgressAt > TimeUnit.SECONDS.toNanos(120)) {
                    throw new BenchmarkException(("The replay did not complete %s: %s, %,d of %,d records replayed. "
                            + "Look at the query side's log.").formatted(now - started > deadline
                                    ? "within %d s".formatted(TimeUnit.NANOSECONDS.toSeconds(deadline))
                                    : "(no progress for 120 s)", state.state(), state.recordsReplayed(),
                            state.recordsToReplay()));
                }
            }
            StackUnderTest.sleep(200);
        }
    }

    private record Verification(boolean ok, String text) {
    }

    /** The rebuilt read model must equal the one before the replay, and every synthetic product be exact. */
    private Verification verify(Map<String, Integer> before, Map<String, Integer> expected) {
        Map<String, Integer> after = readAfterReplay(before);
        long exactSynthetic = expected.entrySet().stream()
                .filter(e -> e.getValue().equals(after.getOrDefault(e.getKey(), -1))).count();
        int sampled = 0;
        int sampledExact = 0;
        int step = Math.max(1, expected.size() / SAMPLED_SINGLE_GETS);
        List<String> ids = new ArrayList<>(expected.keySet());
        for (int i = 0; i < ids.size(); i += step) {
            sampled++;
            try {
                OptionalInt stock = run.client().stock(ids.get(i));
                if (stock.isPresent() && stock.getAsInt() == expected.get(ids.get(i))) {
                    sampledExact++;
                }
            } catch (IOException e) {
                // counted as not exact
            }
        }
        long differing = before.keySet().stream().filter(id -> !before.get(id).equals(after.get(id))).count()
                + after.keySet().stream().filter(id -> !before.containsKey(id)).count();
        boolean equal = differing == 0;
        String text = "%s; synthetic products exact: %,d of %,d; sampled with GET /products/{id}: %d of %d exact"
                .formatted(equal ? "equal to the read model before the replay (%,d products)".formatted(before.size())
                                : "DIFFERS from the read model before the replay in %,d of %,d products"
                                .formatted(differing, before.size()),
                        exactSynthetic, expected.size(), sampledExact, sampled);
        return new Verification(equal && exactSynthetic == expected.size() && sampledExact == sampled, text);
    }

    /** The read model once it equals {@code before}, or as it is after 30 s. */
    private Map<String, Integer> readAfterReplay(Map<String, Integer> before) {
        Map<String, Integer> after = Map.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                after = run.client().stocks();
            } catch (IOException e) {
                // try again below
            }
            if (after.equals(before) || System.nanoTime() > deadline) {
                return after;
            }
            StackUnderTest.sleep(500);
        }
    }
}
