package io.github.orderstock.benchmark.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.orderstock.benchmark.BenchmarkException;
import io.github.orderstock.benchmark.PhaseContext;
import io.github.orderstock.benchmark.report.AnswerLog;
import io.github.orderstock.benchmark.report.Figures;
import io.github.orderstock.benchmark.stack.CpuMeter;
import io.github.orderstock.benchmark.stack.ReadModel;
import io.github.orderstock.testsupport.RunningLoad;

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

    private final PhaseContext run;
    private final int remembered;

    public OldOrderIdsBenchmark(PhaseContext run) {
        this(run, REMEMBERED);
    }

    /** @param remembered how many order ids the product remembers: less in tests against a stand-in shop */
    OldOrderIdsBenchmark(PhaseContext run, int remembered) {
        this.run = run;
        this.remembered = remembered;
    }

    /** @param repeats how many of the oldest ids are repeated; the product first takes 10,000 + 2 × as many */
    public Figures.OldOrderIds run(int repeats) {
        String label = run.runPrefix() + "-old";
        List<String> products = List.of(label + "-p");
        int fill = remembered + 2 * repeats;
        var readModel = new ReadModel(run.client(), 50);
        readModel.addProducts(products, STOCK, "the old-order-ids product");
        var tally = new Tally(status -> status == 201);

        run.out().printf("[old-ids] filling: %,d orders on one product from %d clients...%n", fill, FILL_CLIENTS);
        long fillStarted = System.nanoTime();
        RunningLoad filling = tally.client(run.client(), (order, status, answeredAt) -> { })
                .start(new RunningLoad.Plan(label + "-o", products, FILL_CLIENTS, Integer.MAX_VALUE, fill, 1, 0));
        Tally.finish(filling);
        double fillSeconds = (System.nanoTime() - fillStarted) / 1e9;
        run.out().printf("[old-ids] filled in %.1f s (%,.0f orders/s); repeating the %,d oldest ids from %d clients "
                + "while %d clients send fresh orders...%n", fillSeconds, fill / fillSeconds, repeats, REPEAT_CLIENTS,
                FRESH_CLIENTS);

        var answers = new AnswerLog();
        var freshAnswers = new AnswerLog();
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        AtomicLong freshAcceptedDuringRepeats = new AtomicLong();
        AtomicBoolean repeating = new AtomicBoolean(true);
        CpuMeter.Mark mark = run.cpu().mark();
        long started = System.nanoTime();
        RunningLoad fresh = tally.client(run.client(), (order, status, answeredAt) -> {
            if (status == 201 && repeating.get()) {
                freshAcceptedDuringRepeats.incrementAndGet();
            }
        }, answers, freshAnswers).start(new RunningLoad.Plan(label + "-f", products, FRESH_CLIENTS, Integer.MAX_VALUE,
                0, 1, 0));
        // The same order ids as the fill's first ones: its oldest.
        RunningLoad repeaters = tally.client(run.client(), (order, status, answeredAt) ->
                statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet(), answers)
                .start(new RunningLoad.Plan(label + "-o", products, REPEAT_CLIENTS, Integer.MAX_VALUE, repeats, 1, 0));
        long ended;
        try {
            Tally.finish(repeaters);
        } finally {
            // In this order: a fresh answer counted as during the repeats came before their end.
            repeating.set(false);
            ended = System.nanoTime();
            Tally.finish(fresh);
        }
        double seconds = (ended - started) / 1e9;
        run.report().cpu(run.cpu().since(mark, "old order ids: %,d repeats and fresh orders".formatted(repeats)));
        Figures.Timeline timeline = answers.timeline(started, ended);
        Figures.Timeline freshTimeline = freshAnswers.timeline(started, ended);
        double freshRate = freshAcceptedDuringRepeats.get() / seconds;
        run.out().printf("[old-ids] %,d repeats answered in %.1f s; fresh orders %,.0f/s; longest without any answer "
                + "%,.0f ms%n", repeats, seconds, freshRate, timeline.longestSilenceMs());

        List<String> details = new ArrayList<>();
        tally.describeErrors(details);
        boolean exact = false;
        long unanswered = tally.unanswered(fill + repeats + fresh.ordersFinished());
        if (unanswered > 0) {
            details.add("%,d request(s) got no final answer: the stock cannot be checked".formatted(unanswered));
        } else {
            int expected = STOCK - filling.accepted() - fresh.accepted();
            try {
                readModel.awaitStocks(Map.of(products.get(0), expected), Duration.ofSeconds(120),
                        "the old-order-ids product");
                exact = true;
            } catch (BenchmarkException e) {
                details.add(e.getMessage());
            }
        }
        Map<Integer, Long> byStatus = new TreeMap<>();
        statuses.forEach((status, count) -> byStatus.put(status, count.get()));
        return new Figures.OldOrderIds(remembered, fill, FILL_CLIENTS, fillSeconds, fill / fillSeconds, repeats,
                REPEAT_CLIENTS, FRESH_CLIENTS, seconds, byStatus, freshAcceptedDuringRepeats.get(), freshRate,
                tally.errors(), exact, String.join("; ", details), timeline, freshTimeline);
    }
}
