package io.github.orderstock.systemtests.harness;

import static org.awaitility.Awaitility.await;

import io.github.orderstock.systemtests.harness.Stores.StoredEvent;
import io.github.orderstock.testsupport.Oracle;
import io.github.orderstock.testsupport.Oracle.Outcome;
import io.github.orderstock.testsupport.RunningLoad;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * The figures a test prints (and appends to {@code <systemtests.work>/figures.md}): what was sent and answered,
 * what was broken, what the topic holds, and expected against actual stock per product.
 */
public final class Figures {

    private final String title;
    private final long startedNanos = System.nanoTime();
    private final StringBuilder text = new StringBuilder();

    public Figures(String title) {
        this.title = title;
    }

    public Figures line(String format, Object... args) {
        text.append(String.format(format, args)).append(System.lineSeparator());
        return this;
    }

    /** Orders sent (records and HTTP attempts), accepted, rejected by kind, given up; restocks. */
    public Figures orders(Oracle oracle) {
        var orders = oracle.orders();
        long attempts = orders.stream().mapToLong(order -> order.attempts().size()).sum();
        long cutOff = orders.stream().filter(Oracle.OrderRecord::wasCutOff).count();
        long unanswered = orders.stream().flatMap(order -> order.attempts().stream())
                .filter(attempt -> !attempt.answered()).count();
        long unavailable = orders.stream().flatMap(order -> order.attempts().stream())
                .filter(attempt -> attempt.status() == 503).count();
        line("orders sent        %,d (HTTP attempts %,d: %,d without answer, %,d answered 503; orders cut off %,d)",
                orders.size(), attempts, unanswered, unavailable, cutOff);
        line("accepted (2xx)     %,d (distinct order ids %,d)", oracle.count(Outcome.ACCEPTED),
                oracle.acceptedById().size());
        line("rejected           %,d (409 insufficient stock %,d, 409 order id conflict %,d, 404 %,d, unexpected %,d)",
                oracle.count(Outcome.INSUFFICIENT_STOCK) + oracle.count(Outcome.ID_CONFLICT)
                        + oracle.count(Outcome.NOT_FOUND) + oracle.count(Outcome.UNEXPECTED),
                oracle.count(Outcome.INSUFFICIENT_STOCK), oracle.count(Outcome.ID_CONFLICT),
                oracle.count(Outcome.NOT_FOUND), oracle.count(Outcome.UNEXPECTED));
        line("gave up            %,d", oracle.count(Outcome.GAVE_UP));
        if (!oracle.restocks().isEmpty()) {
            line("restocks           %,d applied, %,d unknown", oracle.appliedRestocks(),
                    oracle.uncertainRestocks().size());
        }
        return this;
    }

    /** How many events the store holds for the products, how many records the topic has for them, and duplicates. */
    public Figures events(List<StoredEvent> events, TopicAudit topic, List<String> products) {
        return line("events in the store %,d; topic records %,d, duplicates on the topic %,d", events.size(),
                topic.recordCount(products), topic.duplicates(products));
    }

    /**
     * Runs {@code faults} while the load runs, waits until at least {@code orders} were answered and stops the load.
     * Whatever fails, these figures so far are printed first; the load is closed in any case.
     */
    public void underLoad(RunningLoad load, Oracle oracle, int clients, int rate, int orders, Runnable faults) {
        try {
            faults.run();
            await("at least %,d orders answered".formatted(orders))
                    .atMost(Duration.ofSeconds(60 + 3L * orders / rate))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> load.ordersFinished() >= orders);
            load.stopAndAwait(Duration.ofMinutes(4));
        } catch (AssertionError | RuntimeException e) {
            load(load, clients, rate).printFailure(oracle, "while the load ran", e);
            throw e;
        } finally {
            load.close();
        }
    }

    /** How long the load ran and what rate it reached. */
    public Figures load(RunningLoad load, int clients, int aimedRate) {
        return line("load               %.1f s at %d clients, aimed at %d operations/s, reached %.1f orders/s "
                        + "(%,d answered, %,d accepted)", load.seconds(), clients, aimedRate,
                load.ordersFinished() / Math.max(0.001, load.seconds()), load.ordersFinished(), load.accepted());
    }

    /** Prints what is known when a test failed before its end (a progress wait ran out), then the failure. */
    public void printFailure(Oracle oracle, String phase, Throwable failure) {
        orders(oracle).line("FAILED %s: %s", phase, String.valueOf(failure.getMessage()).lines().findFirst()
                .orElse(failure.toString())).print();
    }

    /** Expected (oracle) against actual (read model) stock per product. */
    public Figures stock(Map<String, Integer> expected, Map<String, Document> readModel) {
        line("%-22s %12s %12s %14s", "product", "expected", "actual", "lastSequence");
        int matching = 0;
        for (var entry : expected.entrySet()) {
            Document actual = readModel.get(entry.getKey());
            Object quantity = actual == null ? "missing" : actual.get("quantity");
            Object sequence = actual == null ? "-" : actual.get("lastSequence");
            boolean equal = actual != null && ((Number) quantity).longValue() == entry.getValue();
            matching += equal ? 1 : 0;
            line("%-22s %,12d %12s %14s%s", entry.getKey(), entry.getValue(), format(quantity), sequence,
                    equal ? "" : "   <-- differs");
        }
        line("products with exact stock: %d of %d", matching, expected.size());
        return this;
    }

    /** Prints the figures and appends them, as Markdown, to the figures file. */
    public void print() {
        String header = String.format("%s (scale %s, %.1f s, %s)", title, Scale.current().name(),
                (System.nanoTime() - startedNanos) / 1e9, Instant.now());
        System.out.printf("%n===== %s =====%n%s%n", header, text);
        Path file = Path.of(System.getProperty("systemtests.work", "target/system-tests"), "figures.md");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "\n### " + header + "\n```\n" + text + "```\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String format(Object value) {
        return value instanceof Number number ? String.format("%,d", number.longValue()) : String.valueOf(value);
    }
}
