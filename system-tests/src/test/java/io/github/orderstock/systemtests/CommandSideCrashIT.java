package io.github.orderstock.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.orderstock.systemtests.harness.Checks;
import io.github.orderstock.systemtests.harness.Figures;
import io.github.orderstock.systemtests.harness.Scale;
import io.github.orderstock.systemtests.harness.Stores;
import io.github.orderstock.systemtests.harness.Stores.StoredEvent;
import io.github.orderstock.systemtests.harness.SystemStackExtension;
import io.github.orderstock.systemtests.harness.TopicAudit;
import io.github.orderstock.testsupport.LoadClient;
import io.github.orderstock.testsupport.Oracle;
import io.github.orderstock.testsupport.Oracle.Attempt;
import io.github.orderstock.testsupport.Oracle.OrderRecord;
import io.github.orderstock.testsupport.Oracle.Outcome;
import io.github.orderstock.testsupport.RunningLoad;
import io.github.orderstock.testsupport.TestStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Test 2, invariants 2 and 3: the command side is killed with kill -9 under load. Every order answered 2xx is in the
 * event store exactly once and nothing else is; every event of the store reaches the topic; a request cut off by a
 * kill took effect once or not at all (the client repeats it, and the repeat never places it a second time).
 */
@Order(50)
@ExtendWith(SystemStackExtension.class)
class CommandSideCrashIT {

    @Test
    void everyAcceptedOrderCountsExactlyOnceAfterTheCommandSideWasKilledUnderLoad(TestStack stack) {
        Scale scale = Scale.current();
        long seed = Long.getLong("systemtests.seed", System.nanoTime());
        var random = new Random(seed);
        var figures = new Figures("2. Command side killed %d times while at least %,d orders over %d products arrive"
                .formatted(scale.commandSideKills(), scale.commandSideOrders(), scale.crashProducts()));
        var oracle = new Oracle();
        var client = new LoadClient(stack.http(), stack.commandUrl(), oracle);
        List<String> products = client.addProducts("t2", scale.crashProducts(), 2, 300, 1_000_000);

        List<String> restarts = new ArrayList<>();
        List<Long> killedAt = new ArrayList<>();
        int killsBefore = stack.kills(stack.commandSide());
        // No restocks here: a restock cut off by a kill has an unknown effect, and restocks are not idempotent.
        RunningLoad load = client.start(new RunningLoad.Plan("t2-o", products, scale.clients(), scale.orderRate(),
                scale.commandSideOrders(), 3, 0));
        figures.underLoad(load, oracle, scale.clients(), scale.orderRate(), scale.commandSideOrders(), () -> {
            for (int kill = 1; kill <= scale.commandSideKills(); kill++) {
                int accepted = load.accepted();
                int progress = 50 + random.nextInt(400);
                await("%d more orders accepted".formatted(progress)).atMost(scale.progressTimeout())
                        .pollInterval(Duration.ofMillis(20)).until(() -> load.accepted() >= accepted + progress);
                killedAt.add(System.currentTimeMillis());
                stack.kill(stack.commandSide());
                restarts.add("%.1f s".formatted(stack.restart(stack.commandSide())));
            }
        });

        try (var topic = new TopicAudit(stack.bootstrapServers(), TestStack.TOPIC)) {
            long waitFrom = System.nanoTime();
            Throwable notPublished = Checks.capture(
                    () -> Checks.awaitTopicHoldsStore(stack, topic, products, Duration.ofSeconds(150)));
            double published = (System.nanoTime() - waitFrom) / 1e9;
            Throwable notCaughtUp = Checks.capture(
                    () -> Checks.awaitReadModel(stack, oracle, products, Duration.ofSeconds(120)));
            List<StoredEvent> events = Stores.of(stack).events(products);
            Map<String, List<StoredEvent>> placedById = events.stream().filter(StoredEvent::isOrder)
                    .collect(Collectors.groupingBy(StoredEvent::orderId));
            CutOffs cutOffs = CutOffs.of(oracle.orders(), placedById);
            figures.orders(oracle)
                    .load(load, scale.clients(), scale.orderRate())
                    .line("kills              %d (command side, kill -9); restarts took %s; random seed %d",
                            stack.kills(stack.commandSide()) - killsBefore, restarts, seed)
                    .line("cut off by a kill  %,d orders (a request without answer): %,d had taken effect before "
                                    + "the cut, %,d were placed by the repeat, %,d were refused, each at most once in "
                                    + "the store", cutOffs.total, cutOffs.tookEffect, cutOffs.placedByRepeat,
                            cutOffs.refused)
                    .line("all events on the topic %s after the load stopped",
                            notPublished == null ? "%.1f s".formatted(published) : "NOT within 150 s")
                    .events(events, topic, products)
                    .stock(oracle.expectedStock(), Stores.of(stack).products(products))
                    .print();

            Checks.rethrow(notPublished);
            Checks.rethrow(notCaughtUp);
            assertThat(stack.kills(stack.commandSide()) - killsBefore).isEqualTo(scale.commandSideKills());
            assertThat(oracle.orders().size()).isGreaterThanOrEqualTo(scale.commandSideOrders());
            Checks.assertEveryAnswerFinal(oracle);
            assertThat(oracle.count(Outcome.ID_CONFLICT)).as("repeats answered 409 for their own order id: %s",
                    oracle.orders().stream().filter(o -> o.outcome() == Outcome.ID_CONFLICT).limit(5).toList())
                    .isZero();
            Checks.assertUnavailableStoredNothing(oracle, events);
            Checks.assertEventStoreMatchesOracle(events, oracle, products);
            Checks.assertTopicMatchesStore(topic, events, products);
            Checks.assertQueryApiShows(stack, oracle.expectedStock());
            Checks.assertReadModelEqualsFreshProjection(stack, topic, products);
        }
    }

    /** What became of the orders whose request was cut off. */
    private record CutOffs(long total, long tookEffect, long placedByRepeat, long refused) {

        static CutOffs of(List<OrderRecord> orders, Map<String, List<StoredEvent>> placedById) {
            long total = 0;
            long tookEffect = 0;
            long placedByRepeat = 0;
            long refused = 0;
            for (OrderRecord order : orders) {
                List<Attempt> cut = order.attempts().stream().filter(Attempt::cutOff).toList();
                if (cut.isEmpty()) {
                    continue;
                }
                total++;
                List<StoredEvent> placed = placedById.getOrDefault(order.request().orderId(), List.of());
                if (placed.isEmpty()) {
                    refused++;
                } else if (!placed.get(0).timestamp()
                        .isAfter(Instant.ofEpochMilli(cut.get(cut.size() - 1).endedAtMillis()))) {
                    tookEffect++;
                } else {
                    placedByRepeat++;
                }
            }
            return new CutOffs(total, tookEffect, placedByRepeat, refused);
        }
    }
}
