package io.github.orderstock.testsupport;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * The client's own record of everything it asked for and every answer it got, and what follows from it alone:
 * for every product, expected stock = initial + accepted restocks − the orders that got a 2xx, each order id once.
 * Nothing here reads the system's state.
 */
public final class Oracle {

    /** One order as the client sends it. */
    public record OrderRequest(String orderId, String productId, int quantity) {

        public String json() {
            return "{\"orderId\":\"%s\",\"productId\":\"%s\",\"quantity\":%d}".formatted(orderId, productId, quantity);
        }
    }

    /** How an order ended, from its last answer. */
    public enum Outcome {
        /** 2xx: the order took effect (once). */
        ACCEPTED,
        /** 409 with {@code available}: not enough stock, nothing stored. */
        INSUFFICIENT_STOCK,
        /** 409 without {@code available}: the order id is taken by another body. */
        ID_CONFLICT,
        /** 404: unknown product. */
        NOT_FOUND,
        /** Another final answer (400, 422, 500, …): a finding in these tests. */
        UNEXPECTED,
        /** Retried until the deadline without a final answer: the oracle cannot know the effect. */
        GAVE_UP
    }

    /**
     * One HTTP attempt. {@code response} is null when no answer came; {@code cutOff} then says whether the request
     * may have reached the server (anything but a refused connection).
     */
    public record Attempt(long startedAtMillis, long endedAtMillis, ShopClient.Response response, String error,
                          boolean cutOff) {

        public boolean answered() {
            return response != null;
        }

        public int status() {
            return response == null ? -1 : response.status();
        }
    }

    /** An order with all its attempts; the last attempt decides the outcome. */
    public static final class OrderRecord {

        private final OrderRequest request;
        private final List<Attempt> attempts = new ArrayList<>();
        private volatile Outcome outcome;

        OrderRecord(OrderRequest request) {
            this.request = request;
        }

        public OrderRequest request() {
            return request;
        }

        public synchronized List<Attempt> attempts() {
            return List.copyOf(attempts);
        }

        public Outcome outcome() {
            return outcome;
        }

        /** The final answer, if one came. */
        public Optional<ShopClient.Response> response() {
            List<Attempt> all = attempts();
            return all.isEmpty() ? Optional.empty() : Optional.ofNullable(all.get(all.size() - 1).response());
        }

        public boolean wasCutOff() {
            return attempts().stream().anyMatch(Attempt::cutOff);
        }

        synchronized void add(Attempt attempt) {
            attempts.add(attempt);
        }

        void finish(Outcome outcome) {
            this.outcome = outcome;
        }

        @Override
        public String toString() {
            return request + " -> " + outcome + " after " + attempts().size() + " attempt(s), last "
                    + attempts().get(attempts().size() - 1);
        }
    }

    /** A restock and whether it took effect: true (200), false (refused/not sent) or null (unknown). */
    public record RestockRecord(String productId, int quantity, Boolean applied, String answer) {
    }

    private final Map<String, Integer> initial = new ConcurrentHashMap<>();
    private final Map<String, String> names = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<OrderRecord> orders = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<RestockRecord> restocks = new ConcurrentLinkedQueue<>();

    void productAdded(String productId, String name, int quantity) {
        initial.put(productId, quantity);
        names.put(productId, name);
    }

    void record(OrderRecord order) {
        orders.add(order);
    }

    void record(RestockRecord restock) {
        restocks.add(restock);
    }

    public List<String> products() {
        return initial.keySet().stream().sorted().toList();
    }

    public String name(String productId) {
        return names.get(productId);
    }

    public List<OrderRecord> orders() {
        return List.copyOf(orders);
    }

    public List<RestockRecord> restocks() {
        return List.copyOf(restocks);
    }

    /** Orders whose outcome is {@code outcome}, one record per record (an id sent five times counts five times). */
    public long count(Outcome outcome) {
        return orders.stream().filter(order -> order.outcome() == outcome).count();
    }

    /** The accepted orders, one per order id (the first accepted record of each id). */
    public Map<String, OrderRequest> acceptedById() {
        Map<String, OrderRequest> accepted = new LinkedHashMap<>();
        for (OrderRecord order : orders) {
            if (order.outcome() == Outcome.ACCEPTED) {
                accepted.putIfAbsent(order.request().orderId(), order.request());
            }
        }
        return accepted;
    }

    /** Order ids accepted with two different bodies: must be empty, or invariant 2 is broken. */
    public Map<String, List<OrderRequest>> acceptedWithDifferentBodies() {
        return orders.stream().filter(order -> order.outcome() == Outcome.ACCEPTED)
                .map(OrderRecord::request).distinct()
                .collect(Collectors.groupingBy(OrderRequest::orderId)).entrySet().stream()
                .filter(entry -> entry.getValue().size() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Restocks whose effect the client cannot know: must be none for the oracle to be exact. */
    public List<RestockRecord> uncertainRestocks() {
        return restocks.stream().filter(restock -> restock.applied() == null).toList();
    }

    public long appliedRestocks() {
        return restocks.stream().filter(restock -> Boolean.TRUE.equals(restock.applied())).count();
    }

    /** initial + accepted restocks − accepted orders (each order id once). */
    public int expectedStock(String productId) {
        Integer start = initial.get(productId);
        if (start == null) {
            throw new IllegalArgumentException("The oracle never added product " + productId);
        }
        long stock = start;
        for (RestockRecord restock : restocks) {
            if (restock.productId().equals(productId) && Boolean.TRUE.equals(restock.applied())) {
                stock += restock.quantity();
            }
        }
        for (OrderRequest order : acceptedById().values()) {
            if (order.productId().equals(productId)) {
                stock -= order.quantity();
            }
        }
        return Math.toIntExact(stock);
    }

    /** Expected stock of every product this oracle added. */
    public Map<String, Integer> expectedStock() {
        return expectedStock(products());
    }

    /** Expected stock of the given products. */
    public Map<String, Integer> expectedStock(Collection<String> productIds) {
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (String product : productIds) {
            expected.put(product, expectedStock(product));
        }
        return expected;
    }
}
