package io.github.orderstock.systemtests.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.orderstock.systemtests.harness.Stores.StoredEvent;
import io.github.orderstock.systemtests.harness.TopicAudit.EventKey;
import io.github.orderstock.systemtests.harness.TopicAudit.TopicRecord;
import io.github.orderstock.testsupport.Oracle;
import io.github.orderstock.testsupport.Oracle.OrderRequest;
import io.github.orderstock.testsupport.Oracle.Outcome;
import io.github.orderstock.testsupport.ShopClient;
import io.github.orderstock.testsupport.TestStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.bson.Document;

/** The invariants of DESIGN.md §3 as assertions over the oracle, the event store, the topic and the read model. */
public final class Checks {

    private Checks() {
    }

    /** Waits until the read model holds the oracle's stock for each product (invariant 4). */
    public static void awaitReadModel(TestStack stack, Oracle oracle, Collection<String> products, Duration within) {
        Map<String, Long> expected = new TreeMap<>();
        oracle.expectedStock(products).forEach((product, stock) -> expected.put(product, (long) stock));
        await("read model stock equal to the oracle's").atMost(within).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(quantities(Stores.of(stack).products(products)))
                        .as("stock per product in shop_read.products (expected: the oracle)")
                        .isEqualTo(expected));
    }

    /** The query API answers the same stock as the oracle, product by product. */
    public static void assertQueryApiShows(TestStack stack, Map<String, Integer> expected) {
        for (var entry : expected.entrySet()) {
            ShopClient.Response response = stack.http().getOrFail(stack.queryUrl(), "/products/" + entry.getKey());
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            assertThat(((Number) response.json().get("quantity")).intValue())
                    .as("GET /products/%s", entry.getKey()).isEqualTo(entry.getValue());
        }
    }

    /**
     * The event store against the oracle (invariants 1 and 2): each product's stream is gapless from 0 and starts
     * with the product's initial stock; its running stock never goes below zero; it holds exactly the restocks that
     * answered 200 and exactly one {@code OrderPlacedEvent} per order id that answered 2xx, with that order's body,
     * and none for any other order id.
     */
    public static void assertEventStoreMatchesOracle(List<StoredEvent> events, Oracle oracle,
                                                     Collection<String> products) {
        Map<String, List<StoredEvent>> byProduct = events.stream()
                .collect(Collectors.groupingBy(StoredEvent::aggregateId, TreeMap::new, Collectors.toList()));
        assertThat(byProduct.keySet()).as("products with events in the store")
                .containsExactlyInAnyOrderElementsOf(products);
        for (String product : products) {
            List<StoredEvent> stream = byProduct.get(product);
            assertThat(stream.stream().map(StoredEvent::sequence).toList()).as("sequence numbers of %s", product)
                    .isEqualTo(LongStream.range(0, stream.size()).boxed().toList());
            assertThat(stream.get(0).isAdded()).as("first event of %s", product).isTrue();
            long stock = 0;
            long lowest = Long.MAX_VALUE;
            for (StoredEvent event : stream) {
                if (event.isAdded() || event.isRestock()) {
                    stock += event.quantity();
                } else if (event.isOrder()) {
                    stock -= event.quantity();
                }
                lowest = Math.min(lowest, stock);
            }
            assertThat(lowest).as("lowest stock of %s along its event stream (invariant 1)", product)
                    .isGreaterThanOrEqualTo(0);
            assertThat(stock).as("stock of %s in the event store against the oracle", product)
                    .isEqualTo(oracle.expectedStock(product));
            long restocks = stream.stream().filter(StoredEvent::isRestock).count();
            long applied = oracle.restocks().stream()
                    .filter(r -> r.productId().equals(product) && Boolean.TRUE.equals(r.applied())).count();
            assertThat(restocks).as("restock events of %s against restocks answered 200", product).isEqualTo(applied);
        }
        Map<String, List<StoredEvent>> byOrderId = events.stream().filter(StoredEvent::isOrder)
                .collect(Collectors.groupingBy(StoredEvent::orderId));
        List<String> twice = byOrderId.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .map(e -> e.getKey() + " x" + e.getValue().size()).sorted().toList();
        assertThat(twice).as("order ids placed more than once (invariant 2)").isEmpty();
        Map<String, OrderRequest> stored = new TreeMap<>();
        byOrderId.forEach((id, placed) -> stored.put(id,
                new OrderRequest(id, placed.get(0).aggregateId(), placed.get(0).quantity())));
        Map<String, OrderRequest> accepted = new TreeMap<>(oracle.acceptedById());
        Map<String, OrderRequest> unanswered = difference(stored, accepted);
        assertThat(unanswered.size()).as("orders in the event store that no 2xx answered, e.g. %s",
                first(unanswered)).isZero();
        Map<String, OrderRequest> missing = difference(accepted, stored);
        assertThat(missing.size()).as("orders answered 2xx missing in the event store, e.g. %s", first(missing))
                .isZero();
    }

    /**
     * Every order got a final answer the tests expect (none given up, none unexpected), and every restock's effect is
     * known: the oracle is exact.
     */
    public static void assertEveryAnswerFinal(Oracle oracle) {
        assertThat(oracle.count(Outcome.GAVE_UP)).as("orders without a final answer").isZero();
        assertThat(oracle.count(Outcome.UNEXPECTED)).as("orders with an unexpected answer: %s",
                oracle.orders().stream().filter(o -> o.outcome() == Outcome.UNEXPECTED).limit(5).toList()).isZero();
        assertThat(oracle.uncertainRestocks()).as("restocks with unknown effect").isEmpty();
    }

    /**
     * A 503 stored nothing: no order answered 503 has an event from before that answer (if it is in the store, a
     * later attempt placed it).
     */
    public static void assertUnavailableStoredNothing(Oracle oracle, List<StoredEvent> events) {
        Map<String, StoredEvent> placed = new TreeMap<>();
        events.stream().filter(StoredEvent::isOrder).forEach(event -> placed.putIfAbsent(event.orderId(), event));
        List<String> stored = new ArrayList<>();
        for (Oracle.OrderRecord order : oracle.orders()) {
            StoredEvent event = placed.get(order.request().orderId());
            if (event == null) {
                continue;
            }
            for (Oracle.Attempt attempt : order.attempts()) {
                if (attempt.status() == 503 && event.timestamp().toEpochMilli() <= attempt.endedAtMillis()) {
                    stored.add(order.request().orderId() + " stored at " + event.timestamp() + ", answered 503 at "
                            + java.time.Instant.ofEpochMilli(attempt.endedAtMillis()));
                }
            }
        }
        assertThat(stored).as("orders answered 503 although their event was already stored").isEmpty();
    }

    /** Waits until every event of these products in the event store is on the topic (invariant 3). */
    public static void awaitTopicHoldsStore(TestStack stack, TopicAudit topic, Collection<String> products,
                                            Duration within) {
        await("every event of the event store on the topic").atMost(within).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    topic.refresh();
                    Set<EventKey> onTopic = topic.events(new HashSet<>(products)::contains).keySet();
                    List<EventKey> missing = Stores.of(stack).events(products).stream().map(StoredEvent::key)
                            .filter(key -> !onTopic.contains(key)).toList();
                    assertThat(missing).as("events of the store not (yet) on the topic").isEmpty();
                });
    }

    /**
     * The topic against the event store: every event of the store is on the topic, every copy carries the same
     * message id and payload as the stored event, and the topic holds no event of these products that the store
     * does not have. Returns the number of duplicate records.
     */
    public static long assertTopicMatchesStore(TopicAudit topic, List<StoredEvent> events,
                                               Collection<String> products) {
        Map<EventKey, List<TopicRecord>> onTopic = topic.events(new HashSet<>(products)::contains);
        Map<EventKey, StoredEvent> stored = new LinkedHashMap<>();
        events.forEach(event -> stored.put(event.key(), event));
        assertThat(stored.keySet().stream().filter(key -> !onTopic.containsKey(key)).toList())
                .as("events of the event store missing on the topic (invariant 3)").isEmpty();
        assertThat(onTopic.keySet().stream().filter(key -> !stored.containsKey(key)).toList())
                .as("events on the topic that the event store does not hold").isEmpty();
        List<String> mismatched = new ArrayList<>();
        long duplicates = 0;
        for (var entry : onTopic.entrySet()) {
            StoredEvent event = stored.get(entry.getKey());
            duplicates += entry.getValue().size() - 1;
            for (TopicRecord record : entry.getValue()) {
                if (!event.eventId().equals(record.messageId()) || !event.payloadType().equals(record.type())
                        || !event.payload().equals(record.payload())) {
                    mismatched.add(record.partition() + "@" + record.offset() + " " + entry.getKey());
                }
            }
        }
        assertThat(mismatched).as("topic records whose id, type or payload differ from the stored event").isEmpty();
        return duplicates;
    }

    /**
     * The read model equals a fresh projection of the topic, document by document: the given products (all when
     * null) and their orders (invariant 5).
     */
    public static void assertReadModelEqualsFreshProjection(TestStack stack, TopicAudit topic,
                                                            Collection<String> products) {
        topic.refresh();
        Map<String, Document> fresh = topic.projectProducts();
        Map<String, Document> freshOrders = topic.projectOrders();
        if (products != null) {
            Set<String> wanted = new HashSet<>(products);
            fresh.keySet().retainAll(wanted);
            freshOrders.values().removeIf(order -> !wanted.contains(order.getString("productId")));
        }
        Map<String, Document> live = Stores.of(stack).products(products);
        assertThat(live).as("shop_read.products against a fresh projection of the topic").isEqualTo(fresh);
        Map<String, Document> liveOrders = Stores.of(stack).orders(products);
        assertThat(liveOrders.keySet()).as("order ids in shop_read.orders against a fresh projection")
                .isEqualTo(freshOrders.keySet());
        assertThat(liveOrders).as("shop_read.orders against a fresh projection of the topic").isEqualTo(freshOrders);
    }

    /** Runs a wait or check and returns its failure instead of throwing, so that figures are printed first. */
    public static Throwable capture(Runnable check) {
        try {
            check.run();
            return null;
        } catch (AssertionError | RuntimeException e) {
            return e;
        }
    }

    /** Throws what {@link #capture} caught, if anything. */
    public static void rethrow(Throwable failure) {
        if (failure instanceof AssertionError error) {
            throw error;
        }
        if (failure instanceof RuntimeException exception) {
            throw exception;
        }
    }

    public static Map<String, Long> quantities(Map<String, Document> products) {
        Map<String, Long> quantities = new TreeMap<>();
        products.forEach((id, document) -> quantities.put(id, document.getLong("quantity")));
        return quantities;
    }

    /** Entries of left that right does not have with the same value. */
    private static <K, V> Map<K, V> difference(Map<K, V> left, Map<K, V> right) {
        Map<K, V> result = new TreeMap<>();
        left.forEach((key, value) -> {
            if (!value.equals(right.get(key))) {
                result.put(key, value);
            }
        });
        return result;
    }

    /** The first 20 entries, for readable failure messages. */
    private static <K, V> String first(Map<K, V> entries) {
        return entries.entrySet().stream().limit(20).map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    }
}
