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
import io.github.orderstock.testsupport.RunningLoad;
import io.github.orderstock.testsupport.TestStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Test 1, invariant 4: the query side is killed with kill -9 again and again while orders and restocks keep
 * arriving; afterwards every product's stock equals the oracle's exactly, nothing missing and nothing applied twice.
 */
@Order(40)
@ExtendWith(SystemStackExtension.class)
class QuerySideCrashIT {

    @Test
    void stockIsExactAfterTheQuerySideWasKilledUnderLoad(TestStack stack) {
        Scale scale = Scale.current();
        long seed = Long.getLong("systemtests.seed", System.nanoTime());
        var random = new Random(seed);
        var figures = new Figures("1. Query side killed %d times while at least %,d orders over %d products arrive"
                .formatted(scale.querySideKills(), scale.querySideOrders(), scale.crashProducts()));
        var oracle = new Oracle();
        var client = new LoadClient(stack.http(), stack.commandUrl(), oracle);
        List<String> products = client.addProducts("t1", scale.crashProducts(), 2, 300, 1_000_000);
        Checks.awaitReadModel(stack, oracle, products, Duration.ofSeconds(60));

        List<String> restarts = new ArrayList<>();
        List<String> lagAtKills = new ArrayList<>();
        int killsBefore = stack.kills(stack.querySide());
        RunningLoad load = client.start(new RunningLoad.Plan("t1-o", products, scale.clients(), scale.orderRate(),
                scale.querySideOrders(), 3, 40));
        figures.underLoad(load, oracle, scale.clients(), scale.orderRate(), scale.querySideOrders(), () -> {
            try (var ends = new TopicAudit(stack.bootstrapServers(), TestStack.TOPIC)) {
                for (int kill = 1; kill <= scale.querySideKills(); kill++) {
                    // Kill at a random point while the projection is busy: after it applied some more events.
                    long applied = Stores.of(stack).appliedSequenceSum(products);
                    int progress = 20 + random.nextInt(300);
                    await("the projection applying %d more events".formatted(progress)).atMost(scale.progressTimeout())
                            .pollInterval(Duration.ofMillis(50))
                            .until(() -> Stores.of(stack).appliedSequenceSum(products) >= applied + progress);
                    stack.kill(stack.querySide());
                    lagAtKills.add(lag(Stores.of(stack).projectionPositions(), ends.endOffsets()));
                    int acceptedAtKill = load.accepted();
                    int whileDead = 50 + random.nextInt(200);
                    await("%d orders accepted while the query side is dead".formatted(whileDead))
                            .atMost(scale.progressTimeout()).pollInterval(Duration.ofMillis(50))
                            .until(() -> load.accepted() >= acceptedAtKill + whileDead);
                    restarts.add("%.1f s".formatted(stack.restart(stack.querySide())));
                }
            }
        });
        long caughtUpFrom = System.nanoTime();
        Throwable notCaughtUp = Checks.capture(
                () -> Checks.awaitReadModel(stack, oracle, products, Duration.ofSeconds(180)));
        double catchUp = (System.nanoTime() - caughtUpFrom) / 1e9;

        try (var topic = new TopicAudit(stack.bootstrapServers(), TestStack.TOPIC)) {
            Throwable notPublished = Checks.capture(
                    () -> Checks.awaitTopicHoldsStore(stack, topic, products, Duration.ofSeconds(60)));
            List<StoredEvent> events = Stores.of(stack).events(products);
            figures.orders(oracle)
                    .load(load, scale.clients(), scale.orderRate())
                    .line("kills              %d (query side, kill -9); restarts took %s; random seed %d",
                            stack.kills(stack.querySide()) - killsBefore, restarts, seed)
                    .line("records behind the stored token per partition at each kill: %s", lagAtKills)
                    .line("read model caught up %s after the load stopped",
                            notCaughtUp == null ? "%.1f s".formatted(catchUp) : "NOT within 180 s")
                    .events(events, topic, products)
                    .stock(oracle.expectedStock(), Stores.of(stack).products(products))
                    .print();

            Checks.rethrow(notPublished);
            Checks.rethrow(notCaughtUp);
            Checks.assertTopicMatchesStore(topic, events, products);
            assertThat(stack.kills(stack.querySide()) - killsBefore).isEqualTo(scale.querySideKills());
            assertThat(oracle.orders().size()).isGreaterThanOrEqualTo(scale.querySideOrders());
            Checks.assertEveryAnswerFinal(oracle);
            Checks.assertEventStoreMatchesOracle(events, oracle, products);
            Checks.assertQueryApiShows(stack, oracle.expectedStock());
            Checks.assertReadModelEqualsFreshProjection(stack, topic, products);
        }
    }

    /** Records each partition holds beyond the projection's stored token, e.g. {@code [0:12 1:0 2:340 3:5]}. */
    private static String lag(Map<Integer, Long> positions, Map<Integer, Long> ends) {
        return ends.entrySet().stream()
                .map(end -> end.getKey() + ":" + (end.getValue() - 1 - positions.getOrDefault(end.getKey(), -1L)))
                .collect(Collectors.joining(" ", "[", "]"));
    }
}
