package io.github.orderstock.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.orderstock.systemtests.harness.Checks;
import io.github.orderstock.systemtests.harness.Figures;
import io.github.orderstock.systemtests.harness.Http;
import io.github.orderstock.systemtests.harness.LoadClient;
import io.github.orderstock.systemtests.harness.Oracle;
import io.github.orderstock.systemtests.harness.Oracle.Outcome;
import io.github.orderstock.systemtests.harness.RunningLoad;
import io.github.orderstock.systemtests.harness.Scale;
import io.github.orderstock.systemtests.harness.Stores.StoredEvent;
import io.github.orderstock.systemtests.harness.SystemStack;
import io.github.orderstock.systemtests.harness.SystemStackExtension;
import io.github.orderstock.systemtests.harness.TopicAudit;
import io.github.orderstock.systemtests.harness.TopicAudit.TopicRecord;
import io.github.orderstock.systemtests.harness.TopicWriter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.bson.Document;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Test 6, invariant 5: the read model is rebuilt from the topic while orders keep arriving. After catch-up, the
 * documents equal the oracle and a fresh projection of the whole topic, computed here from the records alone.
 */
@Order(30)
@ExtendWith(SystemStackExtension.class)
class ReplayUnderLoadIT {

    /** Copies of this test's records already on the topic. */
    private static final int DUPLICATES_PER_REPLAY = 50;

    @Test
    void aReplayWhileOrdersArriveRebuildsExactlyTheLiveDocuments(SystemStack stack) throws IOException {
        Scale scale = Scale.current();
        var figures = new Figures("6. Replay while orders keep arriving (%d replay(s), at least %,d orders before each)"
                .formatted(scale.replays(), scale.replayOrders()));
        var oracle = new Oracle();
        var client = new LoadClient(stack.http(), stack.commandUrl(), oracle);
        List<String> products = client.addProducts("t6", scale.crashProducts(), 2, 300, 1_000_000);

        var random = new Random(Long.getLong("systemtests.seed", System.nanoTime()));
        int injected = 0;
        RunningLoad load = client.start(new RunningLoad.Plan("t6-o", products, scale.clients(), scale.replayRate(),
                scale.replayOrders() * (scale.replays() + 1), 3, 40));
        try {
            for (int replay = 1; replay <= scale.replays(); replay++) {
                int target = load.ordersFinished() + scale.replayOrders();
                await("%,d more orders".formatted(scale.replayOrders())).atMost(Duration.ofSeconds(
                                60 + 3L * scale.replayOrders() / scale.replayRate()))
                        .pollInterval(Duration.ofMillis(200)).until(() -> load.ordersFinished() >= target);
                // Duplicate publications, as a publisher restart leaves them: the replay must apply each event once.
                injected += injectDuplicates(stack, products, random);
                int acceptedAtStart = load.accepted();
                long started = System.nanoTime();
                Http.Response start = stack.http().admin("POST", stack.queryUrl(), "/admin/replay");
                assertThat(start.status()).as(start.toString()).isEqualTo(202);
                AtomicReference<Document> status = new AtomicReference<>();
                await("replay %d completed".formatted(replay)).atMost(Duration.ofSeconds(300))
                        .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                            Http.Response response = stack.http().admin("GET", stack.queryUrl(), "/admin/replay");
                            assertThat(response.status()).as(response.toString()).isEqualTo(200);
                            status.set(response.json());
                            assertThat(status.get().getString("state")).as(response.toString()).isEqualTo("COMPLETED");
                        });
                int acceptedDuring = load.accepted() - acceptedAtStart;
                figures.line("replay %d           %,d records replayed in %.1f s; %,d orders accepted meanwhile",
                        replay, ((Number) status.get().get("recordsReplayed")).longValue(),
                        (System.nanoTime() - started) / 1e9, acceptedDuring);
                assertThat(status.get().get("recordsReplayed")).as("records replayed: %s", status.get())
                        .isEqualTo(status.get().get("recordsToReplay"));
                assertThat(acceptedDuring).as("orders accepted while replay %d ran", replay).isPositive();
            }
            // Orders keep coming after the last replay completed, too.
            int target = load.ordersFinished() + scale.replayOrders() / 3;
            await("orders after the replay").atMost(scale.progressTimeout()).pollInterval(Duration.ofMillis(200))
                    .until(() -> load.ordersFinished() >= target);
            load.stopAndAwait(Duration.ofMinutes(4));
        } catch (AssertionError | RuntimeException e) {
            figures.load(load, scale.clients(), scale.replayRate()).printFailure(oracle, "while the load ran", e);
            throw e;
        } finally {
            load.close();
        }

        try (var topic = new TopicAudit(stack.bootstrapServers(), SystemStack.TOPIC)) {
            Throwable notPublished = Checks.capture(
                    () -> Checks.awaitTopicHoldsStore(stack, topic, products, Duration.ofSeconds(120)));
            Throwable notCaughtUp = Checks.capture(
                    () -> Checks.awaitReadModel(stack, oracle, products, Duration.ofSeconds(180)));
            topic.refresh();
            List<StoredEvent> events = stack.stores().events(products);
            figures.orders(oracle)
                    .load(load, scale.clients(), scale.replayRate())
                    .line("whole read model   %,d products, %,d orders; fresh projection of all %,d topic records: "
                                    + "%,d products, %,d orders", stack.stores().products(null).size(),
                            stack.stores().orders(null).size(), topic.records().size(),
                            topic.projectProducts().size(), topic.projectOrders().size())
                    .line("events in the store %,d; topic records %,d, duplicates on the topic %,d (%,d of them "
                                    + "written by this test)", events.size(), topic.recordCount(products),
                            topic.duplicates(products), injected)
                    .stock(oracle.expectedStock(), stack.stores().products(products))
                    .print();

            Checks.rethrow(notPublished);
            Checks.rethrow(notCaughtUp);
            assertThat(oracle.count(Outcome.GAVE_UP)).as("orders without a final answer").isZero();
            assertThat(oracle.count(Outcome.UNEXPECTED)).as("orders with an unexpected answer").isZero();
            assertThat(oracle.uncertainRestocks()).as("restocks with unknown effect").isEmpty();
            Checks.assertEventStoreMatchesOracle(events, oracle, products);
            Checks.assertTopicMatchesStore(topic, events, products);
            Checks.assertQueryApiShows(stack, oracle.expectedStock());
            // Every product and order document of the read model, not only this test's.
            Checks.assertReadModelEqualsFreshProjection(stack, topic, null);
        }
    }

    private static int injectDuplicates(SystemStack stack, List<String> products, Random random) {
        try (var topic = new TopicAudit(stack.bootstrapServers(), SystemStack.TOPIC);
             var writer = new TopicWriter(stack.bootstrapServers())) {
            List<TopicRecord> records = new ArrayList<>(topic.refresh().inTopicOrder(
                    record -> record.isEvent() && products.contains(record.aggregateId())));
            Collections.shuffle(records, random);
            List<TopicRecord> copies = records.subList(0, Math.min(DUPLICATES_PER_REPLAY, records.size()));
            copies.forEach(record -> writer.republish(SystemStack.TOPIC, record));
            return copies.size();
        }
    }
}
