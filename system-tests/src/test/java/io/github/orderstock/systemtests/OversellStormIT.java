package io.github.orderstock.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Test 5, invariant 1: 200 concurrent orders of one unit each for a stock of 50 sell exactly 50, refuse 150 with
 * 409, leave stock 0, and no read of the stock, while the storm runs, ever shows less than 0.
 */
@Order(20)
@ExtendWith(SystemStackExtension.class)
class OversellStormIT {

    private static final int STOCK = 50;
    private static final int ORDERS = 200;

    @Test
    void twoHundredConcurrentOrdersForFiftyUnitsSellExactlyFifty(TestStack stack) throws Exception {
        Scale scale = Scale.current();
        for (int round = 1; round <= scale.oversellRounds(); round++) {
            round(stack, round);
        }
    }

    private void round(TestStack stack, int round) throws Exception {
        var figures = new Figures("5. Oversell storm, round %d: stock %d, %d concurrent orders of 1"
                .formatted(round, STOCK, ORDERS));
        var oracle = new Oracle();
        var client = new LoadClient(stack.http(), stack.commandUrl(), oracle);
        String product = "t5-p" + round;
        client.addProduct(product, "Scarce " + round, STOCK);
        Checks.awaitReadModel(stack, oracle, List.of(product), Duration.ofSeconds(60));

        var reader = new StockReader(stack, product);
        Thread readerThread = new Thread(reader, "stock-reader");
        readerThread.start();
        List<OrderRecord> records;
        try {
            List<Callable<OrderRecord>> orders = new ArrayList<>();
            for (int i = 0; i < ORDERS; i++) {
                var request = new OrderRequest("t5-r%d-o%03d".formatted(round, i), product, 1);
                orders.add(() -> client.placeOnce(request));
            }
            records = Burst.fire(orders);
            Checks.awaitReadModel(stack, oracle, List.of(product), Duration.ofSeconds(60));
            // Keep reading until the reader has seen the final stock at least once.
            await("a read of the final stock").atMost(Duration.ofSeconds(30)).until(() -> reader.sawZero.get());
        } finally {
            reader.stop.set(true);
            readerThread.join(10_000);
        }

        var topic = new TopicAudit(stack.bootstrapServers(), TestStack.TOPIC);
        try (topic) {
            Checks.awaitTopicHoldsStore(stack, topic, List.of(product), Duration.ofSeconds(60));
            List<StoredEvent> events = Stores.of(stack).events(List.of(product));
            long duplicates = Checks.assertTopicMatchesStore(topic, events, List.of(product));
            List<Integer> available = records.stream().filter(r -> r.outcome() == Outcome.INSUFFICIENT_STOCK)
                    .map(r -> r.response().orElseThrow().json().getInteger("available")).distinct().toList();
            figures.orders(oracle)
                    .line("409 'available' values: %s", available)
                    .line("stock reads during the storm %,d, lowest %d, reads that failed %d", reader.reads.get(),
                            reader.lowest.get(), reader.failures.get())
                    .line("orders in the event store %d; topic records %d, duplicates %d",
                            events.stream().filter(StoredEvent::isOrder).count(), topic.recordCount(List.of(product)),
                            duplicates)
                    .stock(oracle.expectedStock(), Stores.of(stack).products(List.of(product)))
                    .print();

            assertThat(oracle.count(Outcome.ACCEPTED)).as("orders accepted").isEqualTo(STOCK);
            assertThat(oracle.count(Outcome.INSUFFICIENT_STOCK)).as("orders refused for stock")
                    .isEqualTo(ORDERS - STOCK);
            for (OrderRecord record : records) {
                ShopClient.Response response = record.response()
                        .orElseThrow(() -> new AssertionError("no answer: " + record));
                assertThat(response.status()).as(response.toString()).isIn(201, 409);
                if (response.status() == 409) {
                    assertThat(response.isProblem()).as(response.toString()).isTrue();
                    assertThat(response.json().getInteger("available")).as(response.toString()).isZero();
                }
            }
            assertThat(oracle.expectedStock(product)).isZero();
            assertThat(reader.lowest.get()).as("lowest stock any read showed").isGreaterThanOrEqualTo(0);
            assertThat(reader.failures.get()).as("stock reads that failed").isZero();
            Checks.assertEventStoreMatchesOracle(events, oracle, List.of(product));
            Checks.assertQueryApiShows(stack, oracle.expectedStock());
            Checks.assertReadModelEqualsFreshProjection(stack, topic, List.of(product));
        }
    }

    /** Reads the product's stock through the query API as fast as it answers, remembering the lowest value. */
    private static final class StockReader implements Runnable {

        private final TestStack stack;
        private final String product;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicBoolean sawZero = new AtomicBoolean();
        final AtomicLong lowest = new AtomicLong(Long.MAX_VALUE);
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();

        StockReader(TestStack stack, String product) {
            this.stack = stack;
            this.product = product;
        }

        @Override
        public void run() {
            while (!stop.get()) {
                try {
                    ShopClient.Response response = stack.http().get(stack.queryUrl(), "/products/" + product);
                    if (response.status() != 200) {
                        failures.incrementAndGet();
                        continue;
                    }
                    long quantity = ((Number) response.json().get("quantity")).longValue();
                    reads.incrementAndGet();
                    lowest.accumulateAndGet(quantity, Math::min);
                    if (quantity == 0) {
                        sawZero.set(true);
                    }
                } catch (IOException e) {
                    failures.incrementAndGet();
                }
            }
        }
    }
}
