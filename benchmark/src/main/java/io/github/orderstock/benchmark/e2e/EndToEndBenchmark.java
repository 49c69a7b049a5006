package io.github.orderstock.benchmark.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import io.github.orderstock.benchmark.BenchmarkException;
import io.github.orderstock.benchmark.PhaseContext;
import io.github.orderstock.benchmark.report.AnswerLog;
import io.github.orderstock.benchmark.report.Figures;
import io.github.orderstock.benchmark.stack.CpuMeter;
import io.github.orderstock.benchmark.stack.ReadModel;
import io.github.orderstock.testsupport.RunningLoad;

/**
 * Sends exactly N orders of quantity 1 over fresh products from {@link #CLIENT_THREADS} load clients, each sending
 * synchronously over a kept-alive connection as fast as it is answered, and measures the time from the first request
 * until every product's stock in the read model is exactly its initial stock minus the orders it accepted.
 */
public final class EndToEndBenchmark {

    public static final int CLIENT_THREADS = 64;

    private final PhaseContext run;

    public EndToEndBenchmark(PhaseContext run) {
        this.run = run;
    }

    public Figures.EndToEnd run(int orders, int productCount) {
        String label = "%s-e%dx%d".formatted(run.runPrefix(), orders, productCount);
        List<String> products = IntStream.range(0, productCount).mapToObj(i -> label + "-" + i).toList();
        run.out().printf("[e2e] %,d orders over %d product(s): adding the products with stock %,d each...%n", orders,
                productCount, orders);
        var readModel = new ReadModel(run.client(), 50);
        readModel.addProducts(products, orders, "the new products of this run");

        Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
        products.forEach(product -> accepted.put(product, new AtomicInteger()));
        AtomicLong lastAnswer = new AtomicLong();
        var answers = new AnswerLog();
        var tally = new Tally(status -> status == 201 || status == 200);
        var load = tally.client(run.client(), (order, status, answeredAt) -> {
            if (status == 201 || status == 200) {
                accepted.get(order.productId()).incrementAndGet();
            }
            lastAnswer.accumulateAndGet(answeredAt, Math::max);
        }, answers);
        run.out().printf("[e2e] %,d orders over %d product(s): sending with %d client threads...%n", orders,
                productCount, CLIENT_THREADS);
        CpuMeter.Mark mark = run.cpu().mark();
        long started = System.nanoTime();
        Tally.finish(load.start(new RunningLoad.Plan(label, products, CLIENT_THREADS, Integer.MAX_VALUE, orders, 1,
                0)));
        double postSeconds = (lastAnswer.get() - started) / 1e9;
        Figures.Timeline timeline = answers.timeline(started, Math.max(started, lastAnswer.get()));

        Map<String, Integer> expected = new LinkedHashMap<>();
        products.forEach(product -> expected.put(product, orders - accepted.get(product).get()));
        long acceptedTotal = accepted.values().stream().mapToLong(AtomicInteger::get).sum();
        List<String> details = new ArrayList<>();
        tally.describeErrors(details);
        long unknown = tally.unanswered(orders);
        if (orders - acceptedTotal - unknown > 0) {
            details.add("%,d order(s) refused".formatted(orders - acceptedTotal - unknown));
        }
        if (unknown > 0) {
            String detail = ("%,d order(s) got no final answer: their effect is unknown, so the stock cannot be "
                    + "checked").formatted(unknown);
            details.add(detail);
            run.out().println("[e2e] " + detail);
            return new Figures.EndToEnd(orders, productCount, postSeconds, postSeconds, 0, tally.errors(), false,
                    String.join("; ", details), timeline);
        }
        run.out().printf("[e2e] all answered after %.1f s (%,.0f/s; longest without any answer %,.0f ms); waiting "
                + "until the read model is exact...%n", postSeconds, orders / postSeconds, timeline.longestSilenceMs());
        try {
            long exactAt = readModel.awaitStocks(expected, Duration.ofSeconds(120 + orders / 100),
                    "%,d orders over %d product(s)".formatted(orders, productCount));
            double seconds = (exactAt - started) / 1e9;
            double rate = acceptedTotal / seconds;
            run.report().cpu(run.cpu().since(mark, "e2e, %,d orders over %d product%s".formatted(orders, productCount,
                    productCount == 1 ? "" : "s")));
            run.out().printf("[e2e] %,d orders over %d product(s): read model exact after %.1f s: %,.0f orders/s%n",
                    orders, productCount, seconds, rate);
            return new Figures.EndToEnd(orders, productCount, postSeconds, seconds, rate, tally.errors(), true,
                    String.join("; ", details), timeline);
        } catch (BenchmarkException e) {
            details.add(e.getMessage());
            double seconds = (System.nanoTime() - started) / 1e9;
            run.out().println("[e2e] " + e.getMessage());
            return new Figures.EndToEnd(orders, productCount, postSeconds, seconds, 0, tally.errors(), false,
                    String.join("; ", details), timeline);
        }
    }
}
