package io.github.orderstock.testsupport;

import io.github.orderstock.testsupport.Oracle.Attempt;
import io.github.orderstock.testsupport.Oracle.OrderRecord;
import io.github.orderstock.testsupport.Oracle.OrderRequest;
import io.github.orderstock.testsupport.Oracle.Outcome;
import io.github.orderstock.testsupport.Oracle.RestockRecord;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends orders, products and restocks to the command side as a careful shop would, and writes every attempt and
 * answer into the {@link Oracle}. An order whose answer did not come (a refused connection, a cut-off request, a
 * 503) is repeated with the same order id and body until it gets a final answer; that is safe by invariant 2, and
 * the oracle counts each order id once. Without an oracle (a measurement) it only tells each answer and its time to
 * a {@link Listener}.
 */
public final class LoadClient {

    /** How long one order is retried before the client gives up on it. */
    public static final Duration RETRY_FOR = Duration.ofMinutes(3);
    /** Attempts per order of a client without an oracle: a measurement gives up sooner than a test. */
    static final int MEASURED_ATTEMPTS = 10;

    /** Hears every attempt of a client without an oracle: an answer, timed on {@link System#nanoTime()}, or none. */
    public interface Listener {

        void answered(OrderRequest order, int status, long sentNanos, long answeredNanos);

        void failed(OrderRequest order, IOException failure);
    }

    private final ShopClient http;
    private final String commandUrl;
    private final List<String> orderUrls;
    private final AtomicLong attempts = new AtomicLong();
    private final Oracle oracle;
    private final Listener listener;

    public LoadClient(ShopClient http, String commandUrl, Oracle oracle) {
        this(http, List.of(commandUrl), oracle, null);
    }

    /**
     * A client for a measurement: no oracle, and orders go over {@link ShopClient#placeOrder}, which reads only the
     * status and costs the machine under test the least CPU.
     */
    public LoadClient(ShopClient http, Listener listener) {
        this(http, List.of(http.commandUrl()), null, listener);
    }

    /**
     * A client of several command-side instances, as behind a load balancer that knows nothing of products: each
     * order attempt goes to the next instance in turn, so a repeat after a refused connection goes to another one.
     * Products and restocks go to the first instance only: a restock cut off by a kill has an unknown effect (it is
     * not idempotent), so tests keep that instance alive.
     */
    public LoadClient(ShopClient http, List<String> commandUrls, Oracle oracle) {
        this(http, commandUrls, oracle, null);
    }

    private LoadClient(ShopClient http, List<String> commandUrls, Oracle oracle, Listener listener) {
        this.http = http;
        this.commandUrl = commandUrls.get(0);
        this.orderUrls = List.copyOf(commandUrls);
        this.oracle = oracle;
        this.listener = listener;
    }

    public Oracle oracle() {
        return oracle;
    }

    /** Adds a product and records its initial stock; retries only while the connection is refused. */
    public void addProduct(String productId, String name, int quantity) {
        String json = "{\"productId\":\"%s\",\"name\":\"%s\",\"quantity\":%d}".formatted(productId, name, quantity);
        long deadline = System.nanoTime() + RETRY_FOR.toNanos();
        while (true) {
            try {
                ShopClient.Response response = http.post(commandUrl, "/products", json);
                if (response.status() != 201) {
                    throw new AssertionError("Adding product " + productId + ": " + response);
                }
                oracle.productAdded(productId, name, quantity);
                return;
            } catch (ConnectException | HttpConnectTimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Adding product " + productId + ": command side unreachable", e);
                }
                backOff(1);
            } catch (IOException e) {
                throw new AssertionError("Adding product " + productId + ": " + e, e);
            }
        }
    }

    /**
     * Adds {@code count} products named {@code prefix-pNN}: the first {@code scarce} with {@code scarceStock} units
     * (so that some orders are refused for stock), the others with {@code stock}.
     */
    public List<String> addProducts(String prefix, int count, int scarce, int scarceStock, int stock) {
        List<String> products = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String product = "%s-p%02d".formatted(prefix, i);
            addProduct(product, "Product " + product, i < scarce ? scarceStock : stock);
            products.add(product);
        }
        return products;
    }

    /**
     * Restocks a product. A restock is not idempotent, so it is repeated only when the connection was refused (it
     * cannot have been received); any other failure is recorded as unknown and the tests require there be none.
     */
    public void restock(String productId, int quantity) {
        String json = "{\"quantity\":%d}".formatted(quantity);
        long deadline = System.nanoTime() + RETRY_FOR.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                ShopClient.Response response = http.post(commandUrl, "/products/" + productId + "/restock", json);
                if (response.status() == 200) {
                    oracle.record(new RestockRecord(productId, quantity, true, response.toString()));
                } else if (response.status() >= 400 && response.status() < 500) {
                    oracle.record(new RestockRecord(productId, quantity, false, response.toString()));
                } else {
                    oracle.record(new RestockRecord(productId, quantity, null, response.toString()));
                }
                return;
            } catch (ConnectException | HttpConnectTimeoutException e) {
                if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
                    oracle.record(new RestockRecord(productId, quantity, false, e.toString()));
                    return;
                }
                backOff(attempt);
            } catch (IOException e) {
                oracle.record(new RestockRecord(productId, quantity, null, e.toString()));
                return;
            }
        }
    }

    /** Sends the order until it gets a final answer (or {@link #RETRY_FOR} passed) and records every attempt. */
    public OrderRecord placeOrder(OrderRequest request) {
        OrderRecord order = new OrderRecord(request);
        oracle.record(order);
        long deadline = System.nanoTime() + RETRY_FOR.toNanos();
        for (int attempt = 1; ; attempt++) {
            Attempt result = attempt(request);
            order.add(result);
            Outcome outcome = finalOutcome(result);
            if (outcome != null) {
                order.finish(outcome);
                return order;
            }
            if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
                order.finish(Outcome.GAVE_UP);
                return order;
            }
            backOff(attempt);
        }
    }

    /**
     * Places the order as this client does: into the oracle through {@link #placeOrder}, or, without an oracle, up
     * to {@link #MEASURED_ATTEMPTS} times while no answer or a 5xx comes, where every answer but a 2xx is
     * {@link Outcome#UNEXPECTED} (the body that tells a 409's kind is not read).
     */
    public Outcome place(OrderRequest request) {
        if (oracle != null) {
            return placeOrder(request).outcome();
        }
        for (int attempt = 1; attempt <= MEASURED_ATTEMPTS; attempt++) {
            try {
                long sent = System.nanoTime();
                int status = http.placeOrder(request.orderId(), request.productId(), request.quantity());
                listener.answered(request, status, sent, System.nanoTime());
                if (status < 500) {
                    return status < 300 ? Outcome.ACCEPTED : Outcome.UNEXPECTED;
                }
            } catch (IOException e) {
                listener.failed(request, e);
            }
            backOff(attempt);
        }
        return Outcome.GAVE_UP;
    }

    /** Sends the order exactly once and records the attempt; for storms, where every answer must be final. */
    public OrderRecord placeOnce(OrderRequest request) {
        OrderRecord order = new OrderRecord(request);
        oracle.record(order);
        Attempt result = attempt(request);
        order.add(result);
        Outcome outcome = finalOutcome(result);
        order.finish(outcome == null ? Outcome.GAVE_UP : outcome);
        return order;
    }

    /** Starts concurrent load in the background; see {@link RunningLoad}. */
    public RunningLoad start(RunningLoad.Plan plan) {
        return new RunningLoad(this, plan);
    }

    private Attempt attempt(OrderRequest request) {
        long started = System.currentTimeMillis();
        try {
            String url = orderUrls.get((int) (attempts.getAndIncrement() % orderUrls.size()));
            ShopClient.Response response = http.post(url, "/orders", request.json());
            return new Attempt(started, System.currentTimeMillis(), response, null, false);
        } catch (ConnectException | HttpConnectTimeoutException e) {
            return new Attempt(started, System.currentTimeMillis(), null, e.toString(), false);
        } catch (IOException e) {
            // Sent, or partly sent, and no answer: the server may or may not have acted on it.
            return new Attempt(started, System.currentTimeMillis(), null, e.toString(), true);
        }
    }

    /** The outcome an attempt settles, or null when the order must be repeated. */
    static Outcome finalOutcome(Attempt attempt) {
        if (!attempt.answered()) {
            return null;
        }
        ShopClient.Response response = attempt.response();
        int status = response.status();
        if (status >= 200 && status < 300) {
            return Outcome.ACCEPTED;
        }
        if (status == 409) {
            return response.isProblem() && response.json().containsKey("available") ? Outcome.INSUFFICIENT_STOCK
                    : Outcome.ID_CONFLICT;
        }
        if (status == 404) {
            return Outcome.NOT_FOUND;
        }
        if (status == 500 || status == 502 || status == 503 || status == 504) {
            return null;
        }
        return Outcome.UNEXPECTED;
    }

    private static void backOff(int attempt) {
        long millis = Math.min(1_000, 100L * attempt);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    /** The products a run spreads its orders over, for plans. */
    static String pick(List<String> products, long n) {
        long mixed = n * 0x9E3779B97F4A7C15L;
        return products.get((int) Long.remainderUnsigned(mixed ^ (mixed >>> 29), products.size()));
    }
}
