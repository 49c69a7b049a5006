package io.github.orderstock.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.orderstock.systemtests.harness.Checks;
import io.github.orderstock.systemtests.harness.Figures;
import io.github.orderstock.systemtests.harness.ReplayReaders;
import io.github.orderstock.systemtests.harness.Scale;
import io.github.orderstock.systemtests.harness.Stores;
import io.github.orderstock.systemtests.harness.Stores.StoredEvent;
import io.github.orderstock.systemtests.harness.SystemStackExtension;
import io.github.orderstock.systemtests.harness.TopicAudit;
import io.github.orderstock.systemtests.harness.TopicAudit.TopicRecord;
import io.github.orderstock.systemtests.harness.TopicWriter;
import io.github.orderstock.testsupport.LoadClient;
import io.github.orderstock.testsupport.Oracle;
import io.github.orderstock.testsupport.RunningLoad;
import io.github.orderstock.testsupport.ShopClient;
import io.github.orderstock.testsupport.TestStack;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.bson.Document;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Test 6, invariant 5: the read model is rebuilt from the topic while orders keep arriving. After catch-up, the
 * documents equal the oracle and a fresh projection of the whole topic, computed here from the records alone. While
 * each replay runs, clients read products: every read shows a complete view (never a half-built one, never a 404),
 * and during the last replay the query side is killed with kill -9; its status survives the restart.
 */
@Order(30)
@ExtendWith(SystemStackExtension.class)
class ReplayUnderLoadIT {

    /** Copies of this test's records already on the topic. */
    private static final int DUPLICATES_PER_REPLAY = 50;
    /** Copies written before the replay during which the query side is killed, to make it last a few seconds. */
    private static final int DUPLICATES_BEFORE_KILLED_REPLAY = 1_000;
    /** Clients reading products while a replay runs. */
    private static final int READERS = 3;
    /** How long after the rename completedAt may be recorded. */
    private static final Duration SWITCH_RECORD_BOUND = Duration.ofSeconds(2);

    @Test
    void aReplayWhileOrdersArriveRebuildsExactlyTheLiveDocuments(TestStack stack) throws IOException {
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
                boolean killDuringThisReplay = replay == scale.replays();
                if (killDuringThisReplay) {
                    // A longer replay, so that the query side can be killed and restarted while it runs.
                    injected += injectDuplicates(stack, products, random, DUPLICATES_BEFORE_KILLED_REPLAY);
                }
                int acceptedAtStart = load.accepted();
                long started = System.nanoTime();
                ShopClient.Response start = stack.http().admin("POST", stack.queryUrl(), "/admin/replay");
                assertThat(start.status()).as(start.toString()).isEqualTo(202);
                Instant startedAt = Instant.parse(start.json().getString("startedAt"));
                // The live view readers must keep until the switch: the projection writes elsewhere from now on.
                Map<String, Document> frozen = Stores.of(stack).products(products);
                AtomicReference<Document> status = new AtomicReference<>();
                try (var readers = new ReplayReaders(stack, products, READERS, random.nextLong())) {
                    if (killDuringThisReplay) {
                        killAndRestartDuringTheReplay(stack, readers, startedAt, figures);
                    }
                    await("replay %d completed".formatted(replay)).atMost(Duration.ofSeconds(300))
                            .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                                ShopClient.Response response = stack.http().admin("GET", stack.queryUrl(), "/admin/replay");
                                assertThat(response.status()).as(response.toString()).isEqualTo(200);
                                status.set(response.json());
                                assertThat(status.get().getString("state")).as(response.toString())
                                        .isEqualTo("COMPLETED");
                            });
                    await("the watcher saw the switch").atMost(Duration.ofSeconds(10))
                            .pollInterval(Duration.ofMillis(50)).until(() -> readers.firstSawSwitchMillis() >= 0);
                    readers.close();
                    Instant completedAt = Instant.parse(status.get().getString("completedAt"));
                    List<ReplayReaders.Read> wrong = readers.wrongReads(frozen, Stores.of(stack).events(products));
                    figures.line("replay %d reads     %,d product reads during the replay by %d clients: %d wrong, "
                                    + "%d not found, %,d unanswered (query side down); switched %.1f s after the "
                                    + "start, completedAt %d ms after the rebuilt collection was first seen live",
                            replay, readers.reads().size(), READERS, wrong.size(), readers.notFound(),
                            readers.unanswered(), Duration.between(startedAt, completedAt).toMillis() / 1e3,
                            completedAt.toEpochMilli() - readers.firstSawSwitchMillis());
                    assertThat(Instant.parse(status.get().getString("startedAt"))).as("startedAt").isEqualTo(startedAt);
                    assertThat(readers.reads()).as("reads during replay %d", replay).isNotEmpty();
                    assertThat(wrong).as("reads that no complete view could give (frozen view %s)", frozen).isEmpty();
                    assertThat(readers.notFound()).as("products read as missing during replay %d", replay).isZero();
                    // completedAt is taken right after the rename: after the last look that still saw the rebuild
                    // collection, and at most a moment after the first look that found it gone.
                    assertThat(completedAt.toEpochMilli()).as("completedAt against the switch seen in MongoDB")
                            .isGreaterThanOrEqualTo(readers.lastSawRebuildMillis())
                            .isLessThanOrEqualTo(readers.firstSawSwitchMillis() + SWITCH_RECORD_BOUND.toMillis());
                }
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

        try (var topic = new TopicAudit(stack.bootstrapServers(), TestStack.TOPIC)) {
            Throwable notPublished = Checks.capture(
                    () -> Checks.awaitTopicHoldsStore(stack, topic, products, Duration.ofSeconds(120)));
            Throwable notCaughtUp = Checks.capture(
                    () -> Checks.awaitReadModel(stack, oracle, products, Duration.ofSeconds(180)));
            topic.refresh();
            List<StoredEvent> events = Stores.of(stack).events(products);
            figures.orders(oracle)
                    .load(load, scale.clients(), scale.replayRate())
                    .line("whole read model   %,d products, %,d orders; fresh projection of all %,d topic records: "
                                    + "%,d products, %,d orders", Stores.of(stack).products(null).size(),
                            Stores.of(stack).orders(null).size(), topic.records().size(),
                            topic.projectProducts().size(), topic.projectOrders().size())
                    .line("events in the store %,d; topic records %,d, duplicates on the topic %,d (%,d of them "
                                    + "written by this test)", events.size(), topic.recordCount(products),
                            topic.duplicates(products), injected)
                    .stock(oracle.expectedStock(), Stores.of(stack).products(products))
                    .print();

            Checks.rethrow(notPublished);
            Checks.rethrow(notCaughtUp);
            Checks.assertEveryAnswerFinal(oracle);
            Checks.assertEventStoreMatchesOracle(events, oracle, products);
            Checks.assertTopicMatchesStore(topic, events, products);
            Checks.assertQueryApiShows(stack, oracle.expectedStock());
            // Every product and order document of the read model, not only this test's.
            Checks.assertReadModelEqualsFreshProjection(stack, topic, null);
        }
    }

    /**
     * Kills the query side with kill -9 while the rebuild is being written, restarts it, and checks that the replay's
     * status survived: RUNNING with the original startedAt, or, if the restarted processor finished the rest before
     * the first look, COMPLETED at a moment after the kill.
     */
    private static void killAndRestartDuringTheReplay(TestStack stack, ReplayReaders readers, Instant startedAt,
                                                      Figures figures) throws IOException {
        await("the rebuild being written").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                .until(readers::rebuildSeen);
        stack.kill(stack.querySide());
        Instant killedAt = Instant.now();
        double restart = stack.restart(stack.querySide());
        ShopClient.Response afterRestart = stack.http().admin("GET", stack.queryUrl(), "/admin/replay");
        assertThat(afterRestart.status()).as(afterRestart.toString()).isEqualTo(200);
        Document status = afterRestart.json();
        figures.line("kill -9 mid-replay restart took %.1f s; then GET /admin/replay said %s", restart, status.toJson());
        assertThat(Instant.parse(status.getString("startedAt"))).as("startedAt after the restart: %s", status)
                .isEqualTo(startedAt);
        assertThat(status.getString("state")).as("state after the restart").isIn("RUNNING", "COMPLETED");
        if (status.getString("state").equals("COMPLETED")) {
            assertThat(Instant.parse(status.getString("completedAt"))).as("completed by the restarted query side")
                    .isAfter(killedAt);
        }
    }

    private static int injectDuplicates(TestStack stack, List<String> products, Random random) {
        return injectDuplicates(stack, products, random, DUPLICATES_PER_REPLAY);
    }

    private static int injectDuplicates(TestStack stack, List<String> products, Random random, int count) {
        try (var topic = new TopicAudit(stack.bootstrapServers(), TestStack.TOPIC);
             var writer = new TopicWriter(stack.bootstrapServers(), TestStack.TOPIC)) {
            List<TopicRecord> records = new ArrayList<>(topic.refresh().inTopicOrder(
                    record -> record.isEvent() && products.contains(record.aggregateId())));
            Collections.shuffle(records, random);
            List<TopicRecord> copies = new ArrayList<>();
            for (int i = 0; i < count && !records.isEmpty(); i++) {
                copies.add(records.get(i % records.size()));
            }
            copies.forEach(record -> writer.republish(TestStack.TOPIC, record));
            return copies.size();
        }
    }
}
