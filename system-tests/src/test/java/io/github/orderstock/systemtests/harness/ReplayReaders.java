package io.github.orderstock.systemtests.harness;

import io.github.orderstock.systemtests.harness.Stores.StoredEvent;
import io.github.orderstock.testsupport.ShopClient;
import io.github.orderstock.testsupport.TestStack;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;

/**
 * Clients that read products during a replay, and a watcher that notes when the rebuilt collection replaced the
 * live one (the moment {@code products_rebuild} disappears). Afterwards {@link #wrongReads} holds every read that no
 * complete view could have given: before the switch, anything but the view frozen when the replay started; after it,
 * anything but the stock after some prefix of the product's stream at or beyond that frozen view.
 */
public final class ReplayReaders implements AutoCloseable {

    /** One answered read. */
    public record Read(String productId, long startedMillis, long endedMillis, int status, Integer quantity) {
    }

    /** Pace of each reader and of the watcher: enough reads to see a switch, not so many that they slow it. */
    private static final long READ_PACE_MILLIS = 10;
    private static final long WATCH_PACE_MILLIS = 20;

    private final Stores stores;
    private final ExecutorService threads;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Read> reads = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong unanswered = new AtomicLong();
    private final AtomicLong lastSawRebuildMillis = new AtomicLong(-1);
    private final AtomicLong firstSawSwitchMillis = new AtomicLong(-1);

    /** Starts {@code clients} readers of {@code products} and the watcher. */
    public ReplayReaders(TestStack stack, List<String> products, int clients, long seed) {
        this.stores = Stores.of(stack);
        this.threads = Executors.newFixedThreadPool(clients + 1);
        for (int i = 0; i < clients; i++) {
            var random = new Random(seed + i);
            threads.submit(() -> {
                while (running.get()) {
                    String product = products.get(random.nextInt(products.size()));
                    long started = System.currentTimeMillis();
                    try {
                        ShopClient.Response response = stack.http().get(stack.queryUrl(), "/products/" + product);
                        Integer quantity = response.status() == 200 ? response.json().getInteger("quantity") : null;
                        if (response.status() == 200 || response.status() == 404) {
                            reads.add(new Read(product, started, System.currentTimeMillis(), response.status(),
                                    quantity));
                        } else {
                            unanswered.incrementAndGet();
                        }
                    } catch (IOException e) {
                        unanswered.incrementAndGet(); // the query side is down (killed on purpose)
                    }
                    TimeUnit.MILLISECONDS.sleep(READ_PACE_MILLIS);
                }
                return null;
            });
        }
        threads.submit(() -> {
            while (running.get() && firstSawSwitchMillis.get() < 0) {
                long started = System.currentTimeMillis();
                try {
                    if (stores.readCollectionExists("products_rebuild")) {
                        lastSawRebuildMillis.set(started);
                    } else if (lastSawRebuildMillis.get() >= 0) {
                        firstSawSwitchMillis.set(System.currentTimeMillis());
                    }
                } catch (RuntimeException e) {
                    // The stand-in is busy; the next poll tells.
                }
                TimeUnit.MILLISECONDS.sleep(WATCH_PACE_MILLIS);
            }
            return null;
        });
    }

    public boolean rebuildSeen() {
        return lastSawRebuildMillis.get() >= 0;
    }

    /** The last poll (its start) that still saw the rebuild collection; -1 if none did. */
    public long lastSawRebuildMillis() {
        return lastSawRebuildMillis.get();
    }

    /** The first poll (its end) that saw the rebuild collection gone after it existed; -1 if none did. */
    public long firstSawSwitchMillis() {
        return firstSawSwitchMillis.get();
    }

    public List<Read> reads() {
        return List.copyOf(reads);
    }

    public long unanswered() {
        return unanswered.get();
    }

    public long notFound() {
        return reads().stream().filter(read -> read.status() == 404).count();
    }

    /**
     * The reads no complete view could have given.
     *
     * @param frozen the live product documents read right after the replay started (the view readers must keep)
     * @param events the products' events in stream order
     */
    public List<Read> wrongReads(Map<String, Document> frozen, List<StoredEvent> events) {
        Map<String, Map<Long, Integer>> stockAfter = new HashMap<>();
        Map<String, Integer> running = new HashMap<>();
        for (StoredEvent event : events) {
            int stock = running.getOrDefault(event.aggregateId(), 0);
            if (event.isAdded() || event.isRestock()) {
                stock += event.quantity();
            } else if (event.isOrder()) {
                stock -= event.quantity();
            }
            running.put(event.aggregateId(), stock);
            stockAfter.computeIfAbsent(event.aggregateId(), id -> new HashMap<>()).put(event.sequence(), stock);
        }
        List<Read> wrong = new ArrayList<>();
        for (Read read : reads()) {
            Document before = frozen.get(read.productId());
            if (read.status() != 200 || before == null) {
                continue;
            }
            long frozenSequence = before.getLong("lastSequence");
            boolean beforeSwitch = read.endedMillis() < lastSawRebuildMillis.get();
            boolean complete = beforeSwitch ? read.quantity() == before.getLong("quantity").intValue()
                    : stockAfter.getOrDefault(read.productId(), Map.of()).entrySet().stream()
                    .anyMatch(after -> after.getKey() >= frozenSequence && after.getValue().equals(read.quantity()));
            if (!complete) {
                wrong.add(read);
            }
        }
        return wrong;
    }

    /** Stops the readers and the watcher. */
    @Override
    public void close() {
        running.set(false);
        threads.shutdown();
        try {
            if (!threads.awaitTermination(30, TimeUnit.SECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            threads.shutdownNow();
        }
    }
}
