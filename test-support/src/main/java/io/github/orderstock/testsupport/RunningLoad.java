package io.github.orderstock.testsupport;

import io.github.orderstock.testsupport.Oracle.OrderRequest;
import io.github.orderstock.testsupport.Oracle.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Orders (and, if the plan says so, restocks) sent by concurrent clients at a steady rate until the test says stop
 * and at least {@link Plan#minOrders} were sent. Counters are for waits on progress; the oracle (or the client's
 * listener) has the details.
 */
public final class RunningLoad implements AutoCloseable {

    /**
     * @param orderPrefix  order ids are {@code prefix-n}
     * @param products     the products orders go to, spread evenly
     * @param clients      concurrent clients
     * @param ratePerSecond operations started per second, all clients together ({@link Integer#MAX_VALUE}: as fast
     *                     as they are answered)
     * @param minOrders    at least this many orders are sent, whenever stop is called
     * @param maxQuantity  order quantities are 1..maxQuantity
     * @param restockEvery every n-th operation is a restock (0: none)
     */
    public record Plan(String orderPrefix, List<String> products, int clients, int ratePerSecond, int minOrders,
                       int maxQuantity, int restockEvery) {
    }

    private final LoadClient client;
    private final Plan plan;
    private final ExecutorService workers;
    private final List<Future<?>> futures = new ArrayList<>();
    private final AtomicLong next = new AtomicLong();
    private final AtomicInteger ordersFinished = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger restocks = new AtomicInteger();
    private final long startedNanos = System.nanoTime();
    private volatile boolean stopRequested;
    private volatile long stoppedNanos;

    RunningLoad(LoadClient client, Plan plan) {
        this.client = client;
        this.plan = plan;
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(plan.clients(), runnable -> {
            Thread thread = new Thread(runnable, plan.orderPrefix() + "-client-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        for (int i = 0; i < plan.clients(); i++) {
            futures.add(workers.submit(this::work));
        }
    }

    private void work() {
        while (!Thread.currentThread().isInterrupted()) {
            long n = next.getAndIncrement();
            if (stopRequested && ordersBefore(n) >= plan.minOrders()) {
                return;
            }
            long due = startedNanos + (long) (n * 1e9 / plan.ratePerSecond());
            long wait = due - System.nanoTime();
            if (wait > 0) {
                // Pacing, not waiting for a condition: the client keeps a steady rate.
                LockSupport.parkNanos(wait);
            }
            String product = LoadClient.pick(plan.products(), n);
            if (plan.restockEvery() > 0 && n % plan.restockEvery() == plan.restockEvery() - 1) {
                client.restock(product, 10 + (int) (n % 91));
                restocks.incrementAndGet();
                continue;
            }
            int quantity = 1 + (int) Long.remainderUnsigned(n * 31 + 7, plan.maxQuantity());
            if (client.place(new OrderRequest(plan.orderPrefix() + "-" + n, product, quantity)) == Outcome.ACCEPTED) {
                accepted.incrementAndGet();
            }
            ordersFinished.incrementAndGet();
        }
    }

    /**
     * The orders among operations 0 to n − 1 (every {@code restockEvery}-th is a restock): once stop is asked, an
     * operation runs only while fewer than the minimum were handed out, so a load stopped at once sends exactly the
     * minimum, numbered from 0.
     */
    private long ordersBefore(long n) {
        return plan.restockEvery() > 0 ? n - n / plan.restockEvery() : n;
    }

    /** Orders with a final answer (or given up) so far. */
    public int ordersFinished() {
        return ordersFinished.get();
    }

    /** Orders answered 2xx so far. */
    public int accepted() {
        return accepted.get();
    }

    public int restocks() {
        return restocks.get();
    }

    /** Asks the clients to stop once the minimum is reached, and waits until every started order has its answer. */
    public void stopAndAwait(Duration timeout) {
        stopRequested = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (Future<?> future : futures) {
                future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new AssertionError("A load client failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("The load did not finish within " + timeout + " (" + ordersFinished()
                    + " orders answered)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            stoppedNanos = System.nanoTime();
            workers.shutdownNow();
        }
    }

    /** Seconds from start to stop (or to now while running). */
    public double seconds() {
        long end = stoppedNanos == 0 ? System.nanoTime() : stoppedNanos;
        return (end - startedNanos) / 1e9;
    }

    @Override
    public void close() {
        stopRequested = true;
        workers.shutdownNow();
    }
}
