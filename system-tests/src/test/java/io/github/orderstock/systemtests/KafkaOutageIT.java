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
import io.github.orderstock.testsupport.RunningLoad;
import io.github.orderstock.testsupport.ShopClient;
import io.github.orderstock.testsupport.TestStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Test 3, invariant 3: the Kafka broker is killed with kill -9 under load and started again. Orders taken while it
 * is dead either fail clearly (503 problem+json, nothing stored) or succeed and reach the topic later; after
 * recovery every product's stock equals the oracle's.
 */
@Order(60)
@ExtendWith(SystemStackExtension.class)
class KafkaOutageIT {

    /** The publisher retries at least every 2 s; recovery waits are generous because the machine is shared. */
    private static final Duration RECOVERY = Duration.ofSeconds(180);

    private record Outage(long from, long to, double downSeconds, double restartSeconds, double publishedAfter) {
    }

    @Test
    void ordersDuringABrokerOutageAreNeitherLostNorDoubled(TestStack stack) {
        Scale scale = Scale.current();
        var figures = new Figures("3. Kafka broker killed %d time(s) while at least %,d orders over %d products arrive"
                .formatted(scale.kafkaOutages(), scale.kafkaOrders(), scale.crashProducts()));
        var oracle = new Oracle();
        var client = new LoadClient(stack.http(), stack.commandUrl(), oracle);
        List<String> products = client.addProducts("t3", scale.crashProducts(), 2, 300, 1_000_000);
        Checks.awaitReadModel(stack, oracle, products, Duration.ofSeconds(60));

        List<Outage> outages = new ArrayList<>();
        int killsBefore = stack.kills(stack.kafka());
        RunningLoad load = client.start(new RunningLoad.Plan("t3-o", products, scale.clients(), scale.orderRate(),
                scale.kafkaOrders(), 3, 40));
        try (var topic = new TopicAudit(stack.bootstrapServers(), TestStack.TOPIC)) {
            try {
                runOutages(stack, scale, load, topic, products, outages);
            } catch (AssertionError | RuntimeException e) {
                figures.load(load, scale.clients(), scale.orderRate()).printFailure(oracle, "while the load ran", e);
                throw e;
            }
            load.close();

            Throwable notPublished = Checks.capture(
                    () -> Checks.awaitTopicHoldsStore(stack, topic, products, RECOVERY));
            long waitFrom = System.nanoTime();
            Throwable notCaughtUp = Checks.capture(() -> Checks.awaitReadModel(stack, oracle, products, RECOVERY));
            double caughtUp = (System.nanoTime() - waitFrom) / 1e9;
            List<StoredEvent> events = Stores.of(stack).events(products);
            List<Attempt> duringOutages = oracle.orders().stream().flatMap(order -> order.attempts().stream())
                    .filter(attempt -> outages.stream().anyMatch(o -> attempt.startedAtMillis() < o.to()
                            && attempt.endedAtMillis() > o.from()))
                    .toList();
            Map<String, Long> answers = duringOutages.stream().collect(Collectors.groupingBy(
                    attempt -> attempt.answered() ? String.valueOf(attempt.status()) : "no answer", TreeMap::new,
                    Collectors.counting()));
            figures.orders(oracle)
                    .load(load, scale.clients(), scale.orderRate());
            for (Outage outage : outages) {
                figures.line("outage             broker dead %.1f s, restart took %.1f s; events stored meanwhile "
                        + "on the topic %.1f s after it was back", outage.downSeconds(), outage.restartSeconds(),
                        outage.publishedAfter());
            }
            figures.line("kills              %d (Kafka broker, kill -9)", stack.kills(stack.kafka()) - killsBefore)
                    .line("POSTs during the outages %,d: %s", duringOutages.size(), answers)
                    .line("read model equal to the oracle %s after the load stopped",
                            notCaughtUp == null ? "%.1f s".formatted(caughtUp) : "NOT within " + RECOVERY)
                    .events(events, topic, products)
                    .stock(oracle.expectedStock(), Stores.of(stack).products(products))
                    .print();

            Checks.rethrow(notPublished);
            Checks.rethrow(notCaughtUp);
            for (Attempt attempt : duringOutages) {
                assertThat(attempt.answered()).as("a POST during the outage without answer: %s", attempt.error())
                        .isTrue();
                ShopClient.Response response = attempt.response();
                assertThat(response.status()).as(response.toString()).isIn(201, 409, 503);
                if (response.status() == 503) {
                    assertThat(response.isProblem()).as("503 is problem+json: %s", response).isTrue();
                    assertThat(response.retryAfter()).as("503 has Retry-After: %s", response).isPresent();
                }
            }
            Checks.assertEveryAnswerFinal(oracle);
            Checks.assertUnavailableStoredNothing(oracle, events);
            Checks.assertEventStoreMatchesOracle(events, oracle, products);
            Checks.assertTopicMatchesStore(topic, events, products);
            Checks.assertQueryApiShows(stack, oracle.expectedStock());
            Checks.assertReadModelEqualsFreshProjection(stack, topic, products);
        } finally {
            load.close();
        }
    }

    /** Kills and restarts the broker while the load runs, then lets the load reach its minimum and stop. */
    private static void runOutages(TestStack stack, Scale scale, RunningLoad load, TopicAudit topic,
                                   List<String> products, List<Outage> outages) {
        for (int outage = 1; outage <= scale.kafkaOutages(); outage++) {
            int acceptedBefore = load.accepted();
            await("orders accepted with the broker up").atMost(scale.progressTimeout())
                    .pollInterval(Duration.ofMillis(50)).until(() -> load.accepted() >= acceptedBefore + 200);
            long from = System.currentTimeMillis();
            stack.kill(stack.kafka());
            int acceptedAtKill = load.accepted();
            await("orders accepted while the broker is dead").atMost(scale.progressTimeout())
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> load.accepted() >= acceptedAtKill + scale.ordersPerOutage());
            double down = (System.currentTimeMillis() - from) / 1e3;
            Set<TopicAudit.EventKey> storedDuringOutage = Stores.of(stack).events(products).stream()
                    .map(StoredEvent::key).collect(Collectors.toSet());
            double restart = stack.restart(stack.kafka());
            long to = System.currentTimeMillis();
            long back = System.nanoTime();
            await("events stored while the broker was dead reach the topic").atMost(RECOVERY)
                    .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(topic.refresh().events(products::contains).keySet())
                            .containsAll(storedDuringOutage));
            outages.add(new Outage(from, to, down, restart, (System.nanoTime() - back) / 1e9));
        }
        await("at least %,d orders answered".formatted(scale.kafkaOrders()))
                .atMost(Duration.ofSeconds(60 + 3L * scale.kafkaOrders() / scale.orderRate()))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> load.ordersFinished() >= scale.kafkaOrders());
        load.stopAndAwait(Duration.ofMinutes(4));
    }
}
