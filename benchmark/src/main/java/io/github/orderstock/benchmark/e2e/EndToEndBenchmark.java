package io.github.orderstock.benchmark.e2e;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
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
 * Sends exactly N orders of quantity 1 over fresh products from a fixed pool of client threads, each sending
 * synchronously over a kept-alive connection, and measures the time from the first request until every product's
 * stock in the read model is exactly its initial stock minus the orders it accepted.
 */
public final class EndToEndBenchmark {

    public static final int CLIENT_THREADS = 64;
    /** Attempts per order: a transport failure or a 5xx is repeated with the same order id, which is safe. */
    private static final int ATTEMPTS = 10;

    private final ShopClient client;
    private final String runPrefix;
    private final PrintStream out;
    private final CpuMeter cpu;
    private final Report report;

    public EndToEndBenchmark(ShopClient client, String runPrefix, CpuMeter cpu, Report report, PrintStream out) {
        this.client = client;
        this.cpu = cpu;
        this.report = report;
        this.runPrefix = runPrefix;
        this.out = out;
    }

    public Figures.EndToEnd run(int orders, int productCount) {
        String label = "%s-e%dx%d".formatted(runPrefix, orders, productCount);
        List<String> products = new ArrayList<>();
        Map<String, Integer> initial = new LinkedHashMap<>();
        for (int i = 0; i < productCount; i++) {
            String product = label + "-" + i;
            products.add(product);
            initial.put(product, orders);
        }
        out.printf("[e2e] %,d orders over %d product(s): adding the products with stock %,d each...%n", orders,
                productCount, orders);
        for (String product : products) {
            client.addProduct(product, "End-to-end benchmark " + product, orders);
        }
        var readModel = new ReadModel(client, 50);
        readModel.awaitStocks(initial, Duration.ofSeconds(120), "the new products of this run");

        AtomicInteger next = new AtomicInteger();
        AtomicIntegerArray accepted = new AtomicIntegerArray(productCount);
        AtomicLong errors = new AtomicLong();
        AtomicLong unknown = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong lastAnswer = new AtomicLong();
        var firstError = new AtomicReference<String>();
        var answers = new AnswerLog();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENT_THREADS, runnable -> {
            Thread thread = new Thread(runnable, "e2e-client");
            thread.setDaemon(true);
            return thread;
        });
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < CLIENT_THREADS; t++) {
            workers.add(pool.submit(() -> {
                await(go);
                for (int i = next.getAndIncrement(); i < orders; i = next.getAndIncrement()) {
                    int product = i % productCount;
                    Outcome outcome = place(label + "-" + i, products.get(product), errors, firstError, answers);
                    switch (outcome) {
                        case ACCEPTED -> accepted.incrementAndGet(product);
                        case REFUSED -> refused.incrementAndGet();
                        case UNKNOWN -> unknown.incrementAndGet();
                    }
                    lastAnswer.accumulateAndGet(System.nanoTime(), Math::max);
                }
                return null;
            }));
        }
        out.printf("[e2e] %,d orders over %d product(s): sending with %d client threads...%n", orders, productCount,
                CLIENT_THREADS);
        CpuMeter.Mark mark = cpu.mark();
        long started = System.nanoTime();
        go.countDown();
        for (Future<?> worker : workers) {
            try {
                worker.get();
            } catch (Exception e) {
                pool.shutdownNow();
                throw new BenchmarkException("An end-to-end client thread failed: " + e, e);
            }
        }
        pool.shutdown();
        double postSeconds = (lastAnswer.get() - started) / 1e9;
        Figures.Timeline timeline = answers.timeline(started, Math.max(started, lastAnswer.get()));

        Map<String, Integer> expected = new LinkedHashMap<>();
        long acceptedTotal = 0;
        for (int p = 0; p < productCount; p++) {
            expected.put(products.get(p), orders - accepted.get(p));
            acceptedTotal += accepted.get(p);
        }
        List<String> details = new ArrayList<>();
        if (errors.get() > 0) {
            details.add("%,d answer(s) other than 201, e.g. %s".formatted(errors.get(), firstError.get()));
        }
        if (refused.get() > 0) {
            details.add("%,d order(s) refused".formatted(refused.get()));
        }
        if (unknown.get() > 0) {
            String detail = ("%,d order(s) got no final answer after %d attempts: their effect is unknown, so the "
                    + "stock cannot be checked").formatted(unknown.get(), ATTEMPTS);
            details.add(detail);
            out.println("[e2e] " + detail);
            return new Figures.EndToEnd(orders, productCount, postSeconds, postSeconds, 0, errors.get(), false,
                    String.join("; ", details), timeline);
        }
        out.printf("[e2e] all answered after %.1f s (%,.0f/s; longest without any answer %,.0f ms); waiting until "
                + "the read model is exact...%n", postSeconds, orders / postSeconds, timeline.longestSilenceMs());
        try {
            long exactAt = readModel.awaitStocks(expected, Duration.ofSeconds(120 + orders / 100),
                    "%,d orders over %d product(s)".formatted(orders, productCount));
            double seconds = (exactAt - started) / 1e9;
            double rate = acceptedTotal / seconds;
            report.cpu(cpu.since(mark, "e2e, %,d orders over %d product%s".formatted(orders, productCount,
                    productCount == 1 ? "" : "s")));
            out.printf("[e2e] %,d orders over %d product(s): read model exact after %.1f s: %,.0f orders/s%n",
                    orders, productCount, seconds, rate);
            return new Figures.EndToEnd(orders, productCount, postSeconds, seconds, rate, errors.get(), true,
                    String.join("; ", details), timeline);
        } catch (BenchmarkException e) {
            details.add(e.getMessage());
            double seconds = (System.nanoTime() - started) / 1e9;
            out.println("[e2e] " + e.getMessage());
            return new Figures.EndToEnd(orders, productCount, postSeconds, seconds, 0, errors.get(), false,
                    String.join("; ", details), timeline);
        }
    }

    private enum Outcome { ACCEPTED, REFUSED, UNKNOWN }

    private Outcome place(String orderId, String productId, AtomicLong errors,
                          AtomicReference<String> firstError, AnswerLog answers) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            String failure;
            try {
                long sent = System.nanoTime();
                int status = client.placeOrder(orderId, productId, 1);
                long answered = System.nanoTime();
                answers.record(answered, answered - sent);
                if (status == 201 || status == 200) {
                    return Outcome.ACCEPTED;
                }
                failure = "POST /orders answered " + status;
                if (status < 500) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, failure + " for order " + orderId);
                    return Outcome.REFUSED;
                }
            } catch (IOException e) {
                failure = e.toString();
            }
            errors.incrementAndGet();
            firstError.compareAndSet(null, failure + " for order " + orderId);
            sleep(50L * attempt);
        }
        return Outcome.UNKNOWN;
    }

    private static void await(CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkException("Interrupted", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkException("Interrupted", e);
        }
    }
}
