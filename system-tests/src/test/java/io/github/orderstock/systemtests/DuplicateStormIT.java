package io.github.orderstock.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.orderstock.systemtests.harness.Burst;
import io.github.orderstock.systemtests.harness.Checks;
import io.github.orderstock.systemtests.harness.Figures;
import io.github.orderstock.systemtests.harness.Scale;
import io.github.orderstock.systemtests.harness.Stores;
import io.github.orderstock.systemtests.harness.Stores.StoredEvent;
import io.github.orderstock.systemtests.harness.SystemStackExtension;
import io.github.orderstock.systemtests.harness.TopicAudit;
import io.github.orderstock.testsupport.LoadClient;
import io.github.orderstock.testsupport.Oracle;
import io.github.orderstock.testsupport.Oracle.OrderRecord;
import io.github.orderstock.testsupport.Oracle.OrderRequest;
import io.github.orderstock.testsupport.Oracle.Outcome;
import io.github.orderstock.testsupport.ShopClient;
import io.github.orderstock.testsupport.TestStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.bson.Document;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Test 4, invariant 2: order ids count once, also when the same order arrives several times at the same moment, and
 * a reused id with another body is refused.
 */
@Order(10)
@ExtendWith(SystemStackExtension.class)
class DuplicateStormIT {

    private static final int PRODUCTS = 4;
    private static final int STOCK = 1_000_000;
    /** Order ids whose repeats go out together; their repeats make one burst. */
    private static final int IDS_PER_BURST = 5;

    @Test
    void identicalRepeatsGetTheOriginalAnswerAndChangedBodiesA409(TestStack stack) {
        Scale scale = Scale.current();
        var figures = new Figures(("4. Duplicate storm: %d order ids x %d concurrent identical POSTs, %d ids reused "
                + "with another body")
                .formatted(scale.stormIds(), scale.stormRepeats(), scale.stormReusedIds()));
        var oracle = new Oracle();
        var client = new LoadClient(stack.http(), stack.commandUrl(), oracle);
        List<String> products = IntStream.range(0, PRODUCTS).mapToObj(i -> "t4-p" + i).toList();
        products.forEach(product -> client.addProduct(product, "Storm " + product, STOCK));

        List<OrderRequest> originals = IntStream.range(0, scale.stormIds())
                .mapToObj(i -> new OrderRequest("t4-o%04d".formatted(i), products.get(i % PRODUCTS), 1 + i % 5))
                .toList();
        List<OrderRecord> identical = storm(client, originals, scale.stormRepeats());

        // The reused ids: half change the quantity, half the product.
        List<OrderRequest> changed = IntStream.range(0, scale.stormReusedIds()).mapToObj(i -> {
            OrderRequest original = originals.get(i * originals.size() / scale.stormReusedIds());
            return i % 2 == 0
                    ? new OrderRequest(original.orderId(), original.productId(), original.quantity() + 1)
                    : new OrderRequest(original.orderId(), products.get((products.indexOf(original.productId()) + 1)
                    % PRODUCTS), original.quantity());
        }).toList();
        List<OrderRecord> reused = storm(client, changed, scale.stormRepeats());

        Checks.awaitReadModel(stack, oracle, products, Duration.ofSeconds(90));
        var topic = new TopicAudit(stack.bootstrapServers(), TestStack.TOPIC);
        try (topic) {
            Checks.awaitTopicHoldsStore(stack, topic, products, Duration.ofSeconds(90));
            List<StoredEvent> events = Stores.of(stack).events(products);
            long duplicates = Checks.assertTopicMatchesStore(topic, events, products);
            long placed = events.stream().filter(StoredEvent::isOrder).count();

            Map<Integer, Long> identicalStatuses = statuses(identical);
            Map<Integer, Long> reusedStatuses = statuses(reused);
            figures.orders(oracle)
                    .line("identical POSTs    %,d: %s", identical.size(), identicalStatuses)
                    .line("changed-body POSTs %,d: %s", reused.size(), reusedStatuses)
                    .line("orders in the event store %,d for %,d order ids; topic records %,d, duplicates %,d",
                            placed, originals.size(), topic.recordCount(products), duplicates)
                    .stock(oracle.expectedStock(), Stores.of(stack).products(products))
                    .print();

            for (OrderRecord record : identical) {
                ShopClient.Response response = record.response()
                        .orElseThrow(() -> new AssertionError("no answer: " + record));
                assertThat(response.status()).as(response.toString()).isEqualTo(201);
                assertThat(response.json()).as("body of %s", response)
                        .isEqualTo(Document.parse(record.request().json()));
                assertThat(response.location()).as("Location of %s", response)
                        .hasValue(first(identical, record.request().orderId()).location().orElseThrow());
            }
            for (OrderRecord record : reused) {
                ShopClient.Response response = record.response()
                        .orElseThrow(() -> new AssertionError("no answer: " + record));
                assertThat(response.status()).as(response.toString()).isEqualTo(409);
                assertThat(response.isProblem()).as(response.toString()).isTrue();
                assertThat(record.outcome()).as(response.toString()).isEqualTo(Outcome.ID_CONFLICT);
            }
            assertThat(oracle.acceptedWithDifferentBodies()).as("order ids accepted with two bodies").isEmpty();
            assertThat(oracle.acceptedById()).hasSize(originals.size());
            Checks.assertEventStoreMatchesOracle(events, oracle, products);
            Checks.assertQueryApiShows(stack, oracle.expectedStock());
            Checks.assertReadModelEqualsFreshProjection(stack, topic, products);
        }
    }

    /** Sends every request {@code repeats} times; the repeats of one id go out at the same moment. */
    private static List<OrderRecord> storm(LoadClient client, List<OrderRequest> requests, int repeats) {
        List<OrderRecord> records = new ArrayList<>();
        for (int from = 0; from < requests.size(); from += IDS_PER_BURST) {
            List<Callable<OrderRecord>> burst = new ArrayList<>();
            for (OrderRequest request : requests.subList(from, Math.min(requests.size(), from + IDS_PER_BURST))) {
                for (int i = 0; i < repeats; i++) {
                    burst.add(() -> client.placeOnce(request));
                }
            }
            records.addAll(Burst.fire(burst));
        }
        return records;
    }

    private static ShopClient.Response first(List<OrderRecord> records, String orderId) {
        return records.stream().filter(r -> r.request().orderId().equals(orderId)).findFirst()
                .flatMap(OrderRecord::response).orElseThrow();
    }

    private static Map<Integer, Long> statuses(List<OrderRecord> records) {
        return records.stream().collect(Collectors.groupingBy(r -> r.response().map(ShopClient.Response::status).orElse(-1),
                java.util.TreeMap::new, Collectors.counting()));
    }
}
