package io.github.orderstock.benchmark.e2e;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.github.orderstock.benchmark.BenchmarkException;
import io.github.orderstock.benchmark.report.AnswerLog;
import io.github.orderstock.benchmark.report.Figures;
import io.github.orderstock.benchmark.report.Report;
import io.github.orderstock.benchmark.stack.CpuMeter;
import io.github.orderstock.benchmark.stack.ReadModel;
import io.github.orderstock.testsupport.ShopClient;

/**
 * Issue 13's first finding as figures (system-tests' {@code OldOrderIdsIT} is the test): one product takes more orders
 * than it remembers, then the oldest of its order ids are repeated by {@link #REPEAT_CLIENTS} clients while
 * {@link #FRESH_CLIENTS} others send fresh orders for the same product as fast as they are answered. It measures the
 * fresh orders' rate during the repeats (beside the fill's rate as a baseline) and the longest window in which no
 * request got any answer: a repeat that read the product's stream on a request thread froze every order for tens of
 * seconds.
 */
public final class OldOrderIdsBenchmark {

    /** The order ids a product remembers ({@code Product.REMEMBERED_ORDERS} in the command side). */
    public static final int REMEMBERED = 10_000;
    public static final int FILL_CLIENTS = 16;
    public static final int REPEAT_CLIENTS = 8;
    public static final int FRESH_CLIENTS = 8;
    private static final int STOCK = 1_000_000;
    /** Attempts per request: a transport failure or a 5xx is repeated with the same order id, which is safe. */
    private static final int ATTEMPTS = 10;
    /** Requests without a final answer after which the phase gives up rather than retrying for an hour. */
    private static final int MOST_UNANSWERED = 100;

    private final ShopClient client;
    private final int remembered;
    private final String runPrefix;
    private final CpuMeter cpu;
    private final Report report;
    private final PrintStream out;
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong unanswered = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();

    public OldOrderIdsBenchmark(ShopClient client, String runPrefix, CpuMeter cpu, Report report, PrintStream out) {
        this(client, runPrefix, cpu, report, out, REMEMBERED);
    }

    /** @param remembered how many order ids the product remembers: less in tests against a stand-in shop */
    OldOrderIdsBenchmark(ShopClient client, String runPrefix, CpuMeter cpu, Report report, PrintStream out,
                         int remembered) {
        this.client = client;
        this.remembered = remembered;
        this.runPrefix = runPrefix;
        this.cpu = cpu;
        this.report = report;
        this.out = out;
    }

    /** @param repeats how many of the oldest ids are repeated; the product first takes 10,000 + 2 × as many */
    public Figures.OldOrderIds run(int repeats) {
        String label = runPrefix + "-old";
        String product = label + "-p";
        int fill = remembered + 2 * repeats;
        client.addProduct(product, "Old order ids benchmark", STOCK);
        var readModel = new ReadModel(client, 50);
        readModel.awaitStocks(Map.of(product, STOCK), Duration.ofSeconds(120), "the old-order-ids product");

        out.printf("[old-ids] filling: %,d orders on one product from %d clients...%n", fill, FILL_CLIENTS);
        AtomicInteger nextFill = new AtomicInteger();
        AtomicLong fillAccepted = new AtomicLong();
        long fillStarted = System.nanoTime();
        inParallel(FILL_CLIENTS, () -> {
            for (int i = nextFill.getAndIncrement(); i < fill; i = nextFill.getAndIncrement()) {
                if (send(label + "-o-" + i, product) == 201) {
                    fillAccepted.incrementAndGet();
                }
            }
        });
        double fillSeconds = (System.nanoTime() - fillStarted) / 1e9;
        out.printf("[old-ids] filled in %.1f s (%,.0f orders/s); repeating the %,d oldest ids from %d clients while "
                + "%d clients send fresh orders...%n", fillSeconds, fill / fillSeconds, repeats, REPEAT_CLIENTS,
                FRESH_CLIENTS);

        var answers = new AnswerLog();
        var freshAnswers = new AnswerLog();
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        AtomicInteger nextRepeat = new AtomicInteger();
        AtomicInteger nextFresh = new AtomicInteger();
        AtomicLong freshAccepted = new AtomicLong();
        AtomicLong freshAcceptedDuringRepeats = new AtomicLong();
        AtomicBoolean repeating = new AtomicBoolean(true);
        AtomicInteger repeatersLeft = new AtomicInteger(REPEAT_CLIENTS);
        AtomicLong ended = new AtomicLong();
        CpuMeter.Mark mark = cpu.mark();
        long started = System.nanoTime();
        inParallel(REPEAT_CLIENTS + FRESH_CLIENTS, worker -> {
            if (worker < REPEAT_CLIENTS) {
                try {
                    for (int i = nextRepeat.getAndIncrement(); i < repeats; i = nextRepeat.getAndIncrement()) {
                        int status = send(label + "-o-" + i, product, answers);
                        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                    }
                } finally {
                    // Also when a repeater fails: the fresh clients stop with the last repeater.
                    if (repeatersLeft.decrementAndGet() == 0) {
                        // In this order: a fresh answer counted as during the repeats came before their end.
                        repeating.set(false);
                        ended.set(System.nanoTime());
                    }
                }
            } else {
                while (repeating.get()) {
                    if (send(label + "-f-" + nextFresh.getAndIncrement(), product, answers, freshAnswers) == 201) {
                        freshAccepted.incrementAndGet();
                        if (repeating.get()) {
                            freshAcceptedDuringRepeats.incrementAndGet();
                        }
                    }
                }
            }
        });
        double seconds = (ended.get() - started) / 1e9;
        report.cpu(cpu.since(mark, "old order ids: %,d repeats and fresh orders".formatted(repeats)));
        Figures.Timeline timeline = answers.timeline(started, ended.get());
        Figures.Timeline freshTimeline = freshAnswers.timeline(started, ended.get());
        double freshRate = freshAcceptedDuringRepeats.get() / seconds;
        out.printf("[old-ids] %,d repeats answered in %.1f s; fresh orders %,.0f/s; longest without any answer "
                + "%,.0f ms%n", repeats, seconds, freshRate, timeline.longestSilenceMs());

        List<String> details = new ArrayList<>();
        if (errors.get() > 0) {
            details.add("%,d answer(s) other than 201, e.g. %s".formatted(errors.get(), firstError.get()));
        }
        boolean exact = false;
        if (unanswered.get() > 0) {
            details.add("%,d request(s) got no final answer after %d attempts: the stock cannot be checked"
                    .formatted(unanswered.get(), ATTEMPTS));
        } else {
            int expected = (int) (STOCK - fillAccepted.get() - freshAccepted.get());
            try {
                readModel.awaitStocks(Map.of(product, expected), Duration.ofSeconds(120), "the old-order-ids product");
                exact = true;
            } catch (BenchmarkException e) {
                details.add(e.getMessage());
            }
        }
        Map<Integer, Long> byStatus = new TreeMap<>();
        statuses.forEach((status, count) -> byStatus.put(status, count.get()));
        return new Figures.OldOrderIds(remembered, fill, FILL_CLIENTS, fillSeconds, fill / fillSeconds, repeats,
                REPEAT_CLIENTS, FRESH_CLIENTS, seconds, byStatus, freshAcceptedDuringRepeats.get(), freshRate,
                errors.get(), exact, String.join("; ", details), timeline, freshTimeline);
    }

    /**
     * Places one order of quantity 1, repeating it after a transport failure or a 5xx; every answer goes into the
     * logs.
     *
     * @return the final status, or -1 if no attempt got a final answer
     */
    private int send(String orderId, String productId, AnswerLog... logs) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            String failure;
            try {
                long sent = System.nanoTime();
                int status = client.placeOrder(orderId, productId, 1);
                long answered = System.nanoTime();
                for (AnswerLog log : logs) {
                    log.record(answered, answered - sent);
                }
                if (status == 201) {
                    return status;
                }
                failure = "POST /orders answered " + status;
                if (status < 500) {
                    error(failure + " for order " + orderId);
                    return status;
                }
            } catch (IOException e) {
                failure = e.toString();
            }
            error(failure + " for order " + orderId);
            pause(50L * attempt);
        }
        if (unanswered.incrementAndGet() > MOST_UNANSWERED) {
            throw new BenchmarkException("More than %d orders got no final answer after %d attempts each (e.g. %s): "
                    .formatted(MOST_UNANSWERED, ATTEMPTS, firstError.get()) + "look at the command side's log.");
        }
        return -1;
    }

    private void error(String message) {
        errors.incrementAndGet();
        firstError.compareAndSet(null, message);
    }

    private interface Worker {
        void run(int number) throws Exception;
    }

    private static void inParallel(int threads, Runnable body) {
        inParallel(threads, number -> body.run());
    }

    /** Runs the body on that many threads, each told its number, and waits until every one returned. */
    private static void inParallel(int threads, Worker body) {
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "old-ids-client");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int number = t;
                workers.add(pool.submit(() -> {
                    body.run(number);
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkException("Interrupted", e);
        } catch (Exception e) {
            throw new BenchmarkException("An old-order-ids client thread failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkException("Interrupted", e);
        }
    }
}
