package io.github.orderstock.benchmark.stack;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.stream.Collectors;

import io.github.orderstock.benchmark.BenchmarkException;
import io.github.orderstock.testsupport.ShopClient;

/**
 * Waits for the stock read model to reach expected values, by polling the query side. A wait fails when its deadline
 * passes or when nothing has moved for {@link #STALL}, with a message saying how far the read model got.
 */
public final class ReadModel {

    /** A wait without any change in the read model for this long is given up. */
    static final Duration STALL = Duration.ofSeconds(90);
    /** Polling every product with its own GET costs the query side; above this many, one GET /products a poll. */
    private static final int SINGLE_GETS_UP_TO = 4;

    private final ShopClient client;
    private final long pollMillis;

    public ReadModel(ShopClient client) {
        this(client, 100);
    }

    public ReadModel(ShopClient client, long pollMillis) {
        this.client = client;
        this.pollMillis = pollMillis;
    }

    /** Adds the products, each with that stock, and waits until the read model shows them. */
    public void addProducts(List<String> products, int stock, String what) {
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (String product : products) {
            client.addProduct(product, "Benchmark product " + product, stock);
            expected.put(product, stock);
        }
        awaitStocks(expected, Duration.ofSeconds(120), what);
    }

    /**
     * Polls until every product shows exactly its expected stock, confirmed by {@code GET /products/{id}} for each.
     *
     * @return {@link System#nanoTime()} when the answer that showed the read model exact arrived
     * @throws BenchmarkException at the deadline or after a stall, saying which products differ and by how much
     */
    public long awaitStocks(Map<String, Integer> expected, Duration deadline, String what) {
        long started = System.nanoTime();
        long end = started + deadline.toNanos();
        long lastChange = started;
        Map<String, Integer> last = Map.of();
        String lastFailure = null;
        while (true) {
            Map<String, Integer> seen;
            long seenAt;
            try {
                seen = expected.size() <= SINGLE_GETS_UP_TO ? singleGets(expected.keySet()) : client.stocks();
                seenAt = System.nanoTime();
                lastFailure = null;
                if (differences(expected, seen).isEmpty()
                        && (expected.size() <= SINGLE_GETS_UP_TO
                        || differences(expected, singleGets(expected.keySet())).isEmpty())) {
                    return seenAt;
                }
            } catch (IOException e) {
                seen = last;
                seenAt = System.nanoTime();
                lastFailure = e.toString();
            }
            Map<String, Integer> relevant = relevant(expected, seen);
            if (!relevant.equals(last)) {
                lastChange = seenAt;
                last = relevant;
            }
            if (seenAt > end || seenAt - lastChange > STALL.toNanos()) {
                String why = seenAt > end ? "within %d s".formatted(deadline.toSeconds())
                        : "and nothing changed for %d s".formatted(STALL.toSeconds());
                throw new BenchmarkException("The read model did not reach the expected stock for %s %s: %s%s"
                        .formatted(what, why, describe(expected, relevant),
                                lastFailure == null ? "" : " (last poll failed: " + lastFailure + ")")
                        + ". Look at the query side's log for errors (a launched stack's logs are named at the end).");
            }
            StackUnderTest.sleep(pollMillis);
        }
    }

    /**
     * Polls until the products' stocks together fell by at least {@code atLeast} from {@code initial} each, then
     * waits until they stay still for a second (orders in flight when the load stopped are applied too).
     */
    public void awaitTotalDecrease(List<String> products, int initial, long atLeast, Duration deadline, String what) {
        long started = System.nanoTime();
        long end = started + deadline.toNanos();
        long lastChange = started;
        long lastDecrease = -1;
        boolean reached = false;
        long reachedAt = 0;
        while (true) {
            long decrease = lastDecrease;
            try {
                Map<String, Integer> stocks = client.stocks();
                decrease = products.stream().mapToLong(p -> initial - stocks.getOrDefault(p, initial)).sum();
            } catch (IOException e) {
                // counted as no change
            }
            long now = System.nanoTime();
            if (decrease != lastDecrease) {
                lastChange = now;
                lastDecrease = decrease;
            }
            if (!reached && decrease >= atLeast) {
                reached = true;
                reachedAt = now;
            }
            if (reached && now - lastChange >= 1_000_000_000L && now - reachedAt >= 1_000_000_000L) {
                return;
            }
            if (now > end || now - lastChange > STALL.toNanos()) {
                throw new BenchmarkException(("The read model did not apply %s %s: %,d of at least %,d orders "
                        + "applied. Look at the query side's log for errors.").formatted(what,
                        now > end ? "within %d s".formatted(deadline.toSeconds())
                                : "(nothing changed for %d s)".formatted(STALL.toSeconds()), decrease, atLeast));
            }
            StackUnderTest.sleep(Math.max(pollMillis, 250));
        }
    }

    private Map<String, Integer> singleGets(Iterable<String> products) throws IOException {
        Map<String, Integer> stocks = new LinkedHashMap<>();
        for (String product : products) {
            OptionalInt stock = client.stock(product);
            if (stock.isPresent()) {
                stocks.put(product, stock.getAsInt());
            }
        }
        return stocks;
    }

    private static Map<String, Integer> relevant(Map<String, Integer> expected, Map<String, Integer> seen) {
        Map<String, Integer> relevant = new LinkedHashMap<>();
        expected.keySet().forEach(product -> relevant.put(product, seen.get(product)));
        return relevant;
    }

    /** Products whose stock differs from the expected, with what was seen (null: not in the read model). */
    static Map<String, Integer> differences(Map<String, Integer> expected, Map<String, Integer> seen) {
        Map<String, Integer> differ = new LinkedHashMap<>();
        expected.forEach((product, stock) -> {
            Integer actual = seen.get(product);
            if (actual == null || actual.intValue() != stock) {
                differ.put(product, actual);
            }
        });
        return differ;
    }

    static String describe(Map<String, Integer> expected, Map<String, Integer> seen) {
        Map<String, Integer> differ = differences(expected, seen);
        long missing = differ.values().stream().filter(Objects::isNull).count();
        long unapplied = differ.entrySet().stream().filter(e -> e.getValue() != null)
                .mapToLong(e -> (long) e.getValue() - expected.get(e.getKey())).sum();
        String examples = differ.entrySet().stream().limit(3)
                .map(e -> "%s shows %s, expected %,d".formatted(e.getKey(),
                        e.getValue() == null ? "nothing" : "%,d".formatted(e.getValue()), expected.get(e.getKey())))
                .collect(Collectors.joining("; "));
        return "%d of %d products differ (%d not in the read model; stock above expected by %,d in all), e.g. %s"
                .formatted(differ.size(), expected.size(), missing, unapplied, examples);
    }
}
