package io.github.orderstock.benchmark.e2e;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntPredicate;

import io.github.orderstock.benchmark.BenchmarkException;
import io.github.orderstock.benchmark.report.AnswerLog;
import io.github.orderstock.testsupport.LoadClient;
import io.github.orderstock.testsupport.Oracle.OrderRequest;
import io.github.orderstock.testsupport.RunningLoad;
import io.github.orderstock.testsupport.ShopClient;

/**
 * What the load clients of a phase heard: every answer goes into the phase's answer logs; every answer but a success,
 * and every attempt without one, is an error, the first kept as an example. A phase gives up after
 * {@link #MOST_UNANSWERED} attempts without a final answer rather than retrying for an hour.
 */
final class Tally {

    private static final int MOST_UNANSWERED = 1_000;

    /** What a phase counts besides: told every answer, after the logs. */
    interface Answered {
        void answered(OrderRequest order, int status, long answeredNanos);
    }

    private final IntPredicate success;
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong finalAnswers = new AtomicLong();
    private final AtomicLong unanswered = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();

    Tally(IntPredicate success) {
        this.success = success;
    }

    /** A client without an oracle whose answers go into these logs, then to {@code also}. */
    LoadClient client(ShopClient http, Answered also, AnswerLog... logs) {
        return new LoadClient(http, new LoadClient.Listener() {
            @Override
            public void answered(OrderRequest order, int status, long sentNanos, long answeredNanos) {
                for (AnswerLog log : logs) {
                    log.record(answeredNanos, answeredNanos - sentNanos);
                }
                if (status < 500) {
                    finalAnswers.incrementAndGet();
                } else {
                    unanswered();
                }
                if (!success.test(status)) {
                    error("POST /orders answered " + status, order);
                }
                also.answered(order, status, answeredNanos);
            }

            @Override
            public void failed(OrderRequest order, IOException failure) {
                unanswered();
                error(failure.toString(), order);
            }
        });
    }

    /** Orders, of the {@code orders} sent, that got no final answer: their effect is unknown. */
    long unanswered(long orders) {
        return orders - finalAnswers.get();
    }

    long errors() {
        return errors.get();
    }

    /** Adds the errors to a phase's details, if there were any. */
    void describeErrors(List<String> details) {
        if (errors.get() > 0) {
            details.add("%,d answer(s) other than 201, e.g. %s".formatted(errors.get(), firstError.get()));
        }
    }

    /** Stops the load once its minimum is sent and waits for every answer; a failed client fails the phase. */
    static void finish(RunningLoad load) {
        try {
            load.stopAndAwait(Duration.ofHours(1));
        } catch (AssertionError e) {
            throw new BenchmarkException(e.getMessage(), e.getCause());
        }
    }

    private void unanswered() {
        if (unanswered.incrementAndGet() > MOST_UNANSWERED) {
            throw new BenchmarkException("More than %d attempts got no final answer (e.g. %s): "
                    .formatted(MOST_UNANSWERED, firstError.get()) + "look at the command side's log.");
        }
    }

    private void error(String failure, OrderRequest order) {
        errors.incrementAndGet();
        firstError.compareAndSet(null, failure + " for order " + order.orderId());
    }
}
