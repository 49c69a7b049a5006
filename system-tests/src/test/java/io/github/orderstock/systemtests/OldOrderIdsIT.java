package io.github.orderstock.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.github.orderstock.systemtests.harness.Checks;
import io.github.orderstock.systemtests.harness.Figures;
import io.github.orderstock.systemtests.harness.Scale;
import io.github.orderstock.systemtests.harness.Stores;
import io.github.orderstock.systemtests.harness.Stores.StoredEvent;
import io.github.orderstock.systemtests.harness.SystemStackExtension;
import io.github.orderstock.testsupport.LoadClient;
import io.github.orderstock.testsupport.Oracle;
import io.github.orderstock.testsupport.Oracle.Attempt;
import io.github.orderstock.testsupport.Oracle.OrderRecord;
import io.github.orderstock.testsupport.Oracle.OrderRequest;
import io.github.orderstock.testsupport.Oracle.Outcome;
import io.github.orderstock.testsupport.RunningLoad;
import io.github.orderstock.testsupport.ShopClient;
import io.github.orderstock.testsupport.TestStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.bson.Document;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Test 8, invariant 2 at any age (issue 13): one product takes more orders than it remembers (10,000), then order
 * ids older than its memory are repeated by several clients while fresh orders keep arriving from others. Every
 * repeat gets its original answer (201 with the same body, 409 for a changed body) by lookups by key, and fresh orders
 * keep being answered all along: no repeat reads the product's stream on a request thread.
 * <p>
 * Two kinds of claims a crash of the command side can leave are made here by hand, as the crash would leave them:
 * claims whose outcome was never recorded although the order was placed (the crash came between the event and the
 * record), and claims of orders that were never dispatched (the crash came between the claim and the dispatch).
 */
@Order(45)
@ExtendWith(SystemStackExtension.class)
class OldOrderIdsIT {

    private static final String PRODUCT = "t8-p";
    private static final int REMEMBERED = 10_000;
    private static final int FILL_CLIENTS = 16;
    private static final int REPEAT_CLIENTS = 8;
    private static final int FRESH_CLIENTS = 4;
    private static final int FRESH_RATE = 40;
    private static final int UNRECORDED_EVERY = 25;
    private static final int CHANGED_EVERY = 10;
    private static final int NEVER_DISPATCHED = 5;
    /** Fresh orders must keep being answered: no window without any answer may be longer. */
    private static final Duration LONGEST_SILENCE = Duration.ofSeconds(5);

    @Test
    void repeatsOfOrderIdsOlderThanTheProductsMemoryGetTheirOriginalAnswerWhileFreshOrdersFlow(TestStack stack)
            throws Exception {
        Scale scale = Scale.current();
        int fill = REMEMBERED + 2 * scale.oldIdRepeats();
        var figures = new Figures(("8. Old order ids: %,d orders on one product, then %,d ids older than its memory "
                + "repeated by %d clients while %d clients send fresh orders")
                .formatted(fill, scale.oldIdRepeats(), REPEAT_CLIENTS, FRESH_CLIENTS));
        var oracle = new Oracle();
        var client = new LoadClient(stack.http(), stack.commandUrl(), oracle);
        client.addProduct(PRODUCT, "Old ids", fill);
        client.restock(PRODUCT, 2 * fill);
        Instant neverDispatchedAt = Instant.now().minusSeconds(20);

        long fillStarted = System.nanoTime();
        RunningLoad filling = client.start(new RunningLoad.Plan("t8-o", List.of(PRODUCT), FILL_CLIENTS, 1_000_000,
                fill, 2, 0));
        try {
            await("%,d orders answered".formatted(fill)).atMost(Duration.ofSeconds(60 + fill / 100))
                    .pollInterval(Duration.ofMillis(200)).until(() -> filling.ordersFinished() >= fill);
            filling.stopAndAwait(Duration.ofMinutes(2));
        } finally {
            filling.close();
        }
        double fillSeconds = (System.nanoTime() - fillStarted) / 1e9;
        Map<String, OrderRecord> originals = oracle.orders().stream()
                .collect(Collectors.toMap(order -> order.request().orderId(), Function.identity()));

        // What a crash of the command side can leave behind, made by hand.
        MongoCollection<Document> claims = stack.mongo().getDatabase("shop_write").getCollection("order_claims");
        List<String> unrecorded = IntStream.range(0, scale.oldIdRepeats()).filter(n -> n % UNRECORDED_EVERY == 1)
                .mapToObj(n -> "t8-o-" + n).toList();
        long unset = claims.updateMany(Filters.in("_id", unrecorded), Updates.unset("placed")).getModifiedCount();
        List<OrderRequest> neverDispatched = IntStream.range(0, NEVER_DISPATCHED)
                .mapToObj(n -> new OrderRequest("t8-lost-" + n, PRODUCT, 1)).toList();
        for (OrderRequest lost : neverDispatched) {
            claims.insertOne(new Document("_id", lost.orderId()).append("productId", PRODUCT)
                    .append("quantity", lost.quantity()).append("claimedAt", Date.from(neverDispatchedAt))
                    .append("placeBy", Date.from(neverDispatchedAt.plusSeconds(10))));
        }

        List<OrderRequest> repeats = new ArrayList<>();
        List<OrderRequest> changed = new ArrayList<>();
        for (int n = 0; n < scale.oldIdRepeats(); n++) {
            OrderRequest original = originals.get("t8-o-" + n).request();
            if (n % CHANGED_EVERY == 5) {
                changed.add(new OrderRequest(original.orderId(), PRODUCT, original.quantity() + 1));
            } else {
                repeats.add(original);
            }
        }
        List<OrderRequest> all = new ArrayList<>(repeats);
        all.addAll(changed);
        all.addAll(neverDispatched);

        long phaseStarted = System.currentTimeMillis();
        RunningLoad fresh = client.start(new RunningLoad.Plan("t8-f", List.of(PRODUCT), FRESH_CLIENTS, FRESH_RATE,
                1, 2, 0));
        Map<String, OrderRecord> answered;
        long phaseEnded;
        try {
            answered = sendAll(client, all);
            phaseEnded = System.currentTimeMillis();
            fresh.stopAndAwait(Duration.ofMinutes(1));
        } finally {
            fresh.close();
        }
        double phaseSeconds = (phaseEnded - phaseStarted) / 1e3;
        List<OrderRecord> freshOrders = oracle.orders().stream()
                .filter(order -> order.request().orderId().startsWith("t8-f-")).toList();
        long freshInPhase = freshOrders.stream().flatMap(order -> order.attempts().stream())
                .filter(attempt -> attempt.answered() && attempt.endedAtMillis() <= phaseEnded).count();
        Silence silence = Silence.longest(oracle.orders(), phaseStarted, phaseEnded);

        Checks.awaitReadModel(stack, oracle, List.of(PRODUCT), Duration.ofSeconds(120));
        List<StoredEvent> events = Stores.of(stack).events(List.of(PRODUCT));
        long unavailable = answered.values().stream().flatMap(order -> order.attempts().stream())
                .filter(attempt -> attempt.status() == 503).count();
        figures.orders(oracle)
                .line("fill               %,d orders in %.1f s (%.0f orders/s, %d clients)", fill, fillSeconds,
                        fill / fillSeconds, FILL_CLIENTS)
                .line("repeats            %,d identical, %,d with a changed body, %,d never dispatched; claims "
                                + "without their outcome %,d; answered in %.1f s, %,d answers 503 on the way",
                        repeats.size(), changed.size(), neverDispatched.size(), unset, phaseSeconds, unavailable)
                .line("repeat statuses    %s", statuses(answered.values()))
                .line("fresh orders       %,d answered during the repeats: %.1f answers/s (aimed at %d/s)",
                        freshInPhase, freshInPhase / phaseSeconds, FRESH_RATE)
                .line("longest window without any answer during the repeats: %,d ms (%s)", silence.millis(),
                        silence.where())
                .line("events in the product's stream %,d", events.size())
                .stock(oracle.expectedStock(), Stores.of(stack).products(List.of(PRODUCT)))
                .print();

        for (OrderRequest repeat : repeats) {
            ShopClient.Response original = originals.get(repeat.orderId()).response().orElseThrow();
            ShopClient.Response response = finalAnswer(answered, repeat);
            assertThat(response.status()).as(response.toString()).isEqualTo(201);
            assertThat(response.body()).as("body of %s", response).isEqualTo(original.body());
            assertThat(response.location()).as("Location of %s", response).isEqualTo(original.location());
        }
        for (OrderRequest reused : changed) {
            ShopClient.Response response = finalAnswer(answered, reused);
            assertThat(response.status()).as(response.toString()).isEqualTo(409);
            assertThat(response.isProblem()).as(response.toString()).isTrue();
            assertThat(answered.get(key(reused)).outcome()).isEqualTo(Outcome.ID_CONFLICT);
        }
        for (OrderRequest lost : neverDispatched) {
            ShopClient.Response response = finalAnswer(answered, lost);
            assertThat(response.status()).as(response.toString()).isEqualTo(201);
            assertThat(response.json()).isEqualTo(Document.parse(lost.json()));
        }
        assertThat(unset).as("claims made to miss their outcome").isEqualTo(unrecorded.size());
        assertThat(freshOrders).as("fresh orders").isNotEmpty()
                .allSatisfy(order -> assertThat(order.outcome()).as(order.toString()).isEqualTo(Outcome.ACCEPTED));
        assertThat(silence.millis()).as("longest window without any answer (%s)", silence.where())
                .isLessThan(LONGEST_SILENCE.toMillis());
        assertThat(freshInPhase / phaseSeconds).as("fresh answers per second during the repeats")
                .isGreaterThan(FRESH_RATE / 2.0);
        assertThat(oracle.acceptedWithDifferentBodies()).as("order ids accepted with two bodies").isEmpty();
        assertThat(oracle.count(Outcome.GAVE_UP) + oracle.count(Outcome.UNEXPECTED)).isZero();
        Checks.assertEventStoreMatchesOracle(events, oracle, List.of(PRODUCT));
        Checks.assertQueryApiShows(stack, oracle.expectedStock());
    }

    /** Sends every request once from {@link #REPEAT_CLIENTS} clients, each repeated until it gets a final answer. */
    private static Map<String, OrderRecord> sendAll(LoadClient client, List<OrderRequest> requests)
            throws InterruptedException {
        ExecutorService clients = Executors.newFixedThreadPool(REPEAT_CLIENTS);
        try {
            List<Callable<OrderRecord>> tasks = requests.stream()
                    .<Callable<OrderRecord>>map(request -> () -> client.placeOrder(request)).toList();
            Map<String, OrderRecord> records = new java.util.HashMap<>();
            for (Future<OrderRecord> future : clients.invokeAll(tasks, 4, TimeUnit.MINUTES)) {
                if (future.isCancelled()) {
                    throw new AssertionError("The repeats did not all get an answer within 4 minutes");
                }
                OrderRecord record = future.get();
                records.put(key(record.request()), record);
            }
            return records;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("A repeat failed: " + e.getCause(), e.getCause());
        } finally {
            clients.shutdownNow();
        }
    }

    private static ShopClient.Response finalAnswer(Map<String, OrderRecord> answered, OrderRequest request) {
        OrderRecord record = answered.get(key(request));
        return record.response().orElseThrow(() -> new AssertionError("no answer: " + record));
    }

    private static String key(OrderRequest request) {
        return request.orderId() + "/" + request.quantity();
    }

    private static Map<Integer, Long> statuses(java.util.Collection<OrderRecord> records) {
        return records.stream().collect(Collectors.groupingBy(r -> r.response().map(ShopClient.Response::status)
                .orElse(-1), java.util.TreeMap::new, Collectors.counting()));
    }

    /** The longest time between two answers (of any request) from {@code from} to {@code to}. */
    private record Silence(long millis, String where) {

        static Silence longest(List<OrderRecord> orders, long from, long to) {
            List<Long> ends = orders.stream().flatMap(order -> order.attempts().stream())
                    .filter(Attempt::answered).map(Attempt::endedAtMillis)
                    .filter(end -> end >= from && end <= to).sorted().collect(Collectors.toCollection(ArrayList::new));
            ends.add(0, from);
            ends.add(to);
            long longest = 0;
            long at = from;
            for (int i = 1; i < ends.size(); i++) {
                long gap = ends.get(i) - ends.get(i - 1);
                if (gap > longest) {
                    longest = gap;
                    at = ends.get(i - 1);
                }
            }
            return new Silence(longest, "from %.1f s into the repeats".formatted((at - from) / 1e3));
        }
    }
}
