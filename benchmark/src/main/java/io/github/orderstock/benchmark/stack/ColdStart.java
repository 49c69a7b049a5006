package io.github.orderstock.benchmark.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.OptionalInt;

import io.github.orderstock.benchmark.BenchmarkException;
import io.github.orderstock.benchmark.report.Figures;
import io.github.orderstock.testsupport.ShopClient;
import io.github.orderstock.testsupport.TestStack;

/**
 * A stack's cold start: from starting its parts on a fresh data directory until an order for the seed product was
 * accepted and the read model shows its stock one lower.
 */
final class ColdStart {

    /** The seed's product and stock on a fresh data directory (the command side adds it on its first start). */
    static final String SEED_PRODUCT = "1";
    static final int SEED_STOCK = 10;
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    private final TestStack stack;
    private final ShopClient client;
    private final PrintStream out;

    ColdStart(TestStack stack, PrintStream out) {
        this.stack = stack;
        this.client = stack.http();
        this.out = out;
    }

    /** Starts the stack, then places the seed's order until it is accepted and applied. */
    Figures.ColdStart measure() {
        long launched = System.nanoTime();
        stack.start();
        double allUp = seconds(launched);
        // Each part's start has its own deadline; this one is for the first order once all serve.
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        String runId = Long.toString(System.currentTimeMillis(), 36);
        int attempt = 0;
        String orderId = "cold-start-" + runId + "-" + attempt;
        Double acceptedAt = null;
        String lastAnswer = "nothing yet";
        while (true) {
            if (!stack.isAlive()) {
                throw new BenchmarkException("A part of the stack exited before the stack was ready:"
                        + System.lineSeparator() + stack.logTails(20));
            }
            if (System.nanoTime() > deadline) {
                throw new BenchmarkException("The stack did not apply an order within %d s of serving (last: %s). "
                        + "The parts' logs:"
                        .formatted(DEADLINE.toSeconds(), lastAnswer) + System.lineSeparator() + stack.logTails(20));
            }
            try {
                if (acceptedAt == null) {
                    int status = client.placeOrder(orderId, SEED_PRODUCT, 1);
                    lastAnswer = "POST /orders answered " + status;
                    if (status == 201 || status == 200) {
                        acceptedAt = seconds(launched);
                        continue;
                    }
                    // A definite refusal (the seed product not there yet, a 503 while Kafka starts): nothing was
                    // placed, so the next attempt may take a new order id.
                    orderId = "cold-start-" + runId + "-" + (++attempt);
                } else {
                    OptionalInt stock = client.stock(SEED_PRODUCT);
                    lastAnswer = "order accepted; GET /products/1 shows " + (stock.isPresent()
                            ? "stock " + stock.getAsInt() : "no product yet");
                    if (stock.isPresent() && stock.getAsInt() == SEED_STOCK - 1) {
                        double ready = seconds(launched);
                        out.printf("Stack ready after %.1f s (every part serving after %.1f s, order accepted after "
                                + "%.1f s).%n", ready, allUp, acceptedAt);
                        return new Figures.ColdStart(allUp, ready, acceptedAt);
                    }
                }
            } catch (IOException e) {
                // Not listening yet, or the answer was cut off: try again with the same order id, which is safe.
                lastAnswer = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            StackUnderTest.sleep(100);
        }
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
