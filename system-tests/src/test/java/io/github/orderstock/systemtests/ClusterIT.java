package io.github.orderstock.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.orderstock.devstack.Child;
import io.github.orderstock.systemtests.harness.Checks;
import io.github.orderstock.systemtests.harness.ClusterStackExtension;
import io.github.orderstock.systemtests.harness.Figures;
import io.github.orderstock.systemtests.harness.Scale;
import io.github.orderstock.systemtests.harness.Stores;
import io.github.orderstock.systemtests.harness.Stores.StoredEvent;
import io.github.orderstock.systemtests.harness.TopicAudit;
import io.github.orderstock.testsupport.LoadClient;
import io.github.orderstock.testsupport.Oracle;
import io.github.orderstock.testsupport.Oracle.Attempt;
import io.github.orderstock.testsupport.Oracle.OrderRequest;
import io.github.orderstock.testsupport.Oracle.Outcome;
import io.github.orderstock.testsupport.RunningLoad;
import io.github.orderstock.testsupport.ShopClient;
import io.github.orderstock.testsupport.TestStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartitionInfo;
import org.bson.Document;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The production topology on one machine (three Kafka brokers, two command-side and two query-side instances, one
 * MongoDB stand-in), under steady load spread over both command sides. In turn, the broker that leads the most
 * partitions, one command side and one query side are killed with kill -9 and restarted, each killed while the one
 * before it is still starting again (the restarts run side by side). Afterwards every invariant
 * holds as on a single node: stock equal to the oracle on the read model (asked of either query side), every event
 * of the store on the topic, every accepted order readable, and no 5xx but a 503 problem+json with Retry-After.
 */
@Order(200)
@ExtendWith(ClusterStackExtension.class)
class ClusterIT {

    /** How long the surviving query side may take to apply the killed one's share again. */
    private static final Duration TAKEOVER_WITHIN = Duration.ofSeconds(60);
    private static final Duration RECOVERY = Duration.ofSeconds(180);
    /** Products with little stock (so that some orders are refused): the first ones added. */
    private static final int SCARCE = 2;

    /** One part killed under load and started again; {@code from}/{@code to}: kill and ready again (ms). */
    private record Fault(String part, String victim, long from, long to, double restartSeconds, String detail) {
    }

    @Test
    void invariantsHoldWhileTheLeadingBrokerACommandSideAndAQuerySideAreKilled(TestStack cluster) {
        Scale scale = Scale.current();
        var figures = new Figures(("Cluster: 3 brokers, 2 command sides, 2 query sides; %d round(s) of kill -9 of the "
                + "leading broker, a command side and a query side while at least %,d orders over %d products arrive")
                .formatted(scale.clusterRounds(), scale.clusterOrders(), scale.crashProducts()));
        var oracle = new Oracle();
        var client = new LoadClient(cluster.http(), cluster.commandUrls(), oracle);
        List<String> products = client.addProducts("c", scale.crashProducts(), SCARCE, 100, 1_000_000);
        List<String> ample = products.subList(SCARCE, products.size());
        Checks.awaitReadModel(cluster, oracle, products, Duration.ofSeconds(60));

        List<Fault> faults = new ArrayList<>();
        List<Throwable> noTakeover = new ArrayList<>();
        ExecutorService restarts = Executors.newCachedThreadPool();
        RunningLoad load = client.start(new RunningLoad.Plan("c-o", products, scale.clients(), scale.clusterRate(),
                scale.clusterOrders(), 3, 40));
        try {
            for (int round = 1; round <= scale.clusterRounds(); round++) {
                // Each part is killed while the one before it starts again: the cluster rides out two faults at once.
                awaitAccepted(load, 100, scale, "before the broker is killed");
                var broker = killLeadingBroker(cluster, load, scale, restarts);
                awaitAccepted(load, 100, scale, "before a command side is killed");
                var commandSide = killCommandSide(cluster, load, scale, restarts);
                awaitAccepted(load, 100, scale, "before a query side is killed");
                var querySide = killQuerySide(cluster, load, scale, ample, noTakeover, restarts);
                // The broker is back in every ISR before the next round kills one again.
                for (CompletableFuture<Fault> restarted : List.of(broker, commandSide, querySide)) {
                    faults.add(join(restarted));
                }
            }
            await("at least %,d orders answered".formatted(scale.clusterOrders()))
                    .atMost(Duration.ofSeconds(60 + 3L * scale.clusterOrders() / scale.clusterRate()))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> load.ordersFinished() >= scale.clusterOrders());
            load.stopAndAwait(Duration.ofMinutes(4));
        } catch (AssertionError | RuntimeException e) {
            faults.forEach(fault -> figures.line("fault              %s", fault));
            figures.load(load, scale.clients(), scale.clusterRate()).printFailure(oracle, "while the load ran", e);
            throw e;
        } finally {
            load.close();
            restarts.shutdownNow();
        }

        try (var topic = new TopicAudit(cluster.bootstrapServers(), TestStack.TOPIC)) {
            long waitFrom = System.nanoTime();
            Throwable notPublished = Checks.capture(
                    () -> Checks.awaitTopicHoldsStore(cluster, topic, products, RECOVERY));
            double published = (System.nanoTime() - waitFrom) / 1e9;
            Throwable notCaughtUp = Checks.capture(() -> Checks.awaitReadModel(cluster, oracle, products, RECOVERY));
            double caughtUp = (System.nanoTime() - waitFrom) / 1e9;
            List<StoredEvent> events = Stores.of(cluster).events(products);
            List<String> serverErrors = serverErrorsOtherThan503(oracle);
            // Asked only once the read model caught up; otherwise that failure is the one to report.
            List<String> unreadable = notCaughtUp == null ? unreadableOrders(cluster, oracle) : List.of();

            figures.orders(oracle).load(load, scale.clients(), scale.clusterRate());
            for (Fault fault : faults) {
                figures.line("%-18s %s killed, ready again after %.1f s; %s; during the fault: %s", fault.part(),
                        fault.victim(), fault.restartSeconds(), fault.detail(), duringFault(oracle, fault));
            }
            figures.line("kills              %s", cluster.children().stream().filter(c -> cluster.kills(c) > 0)
                            .map(c -> c.name() + " " + cluster.kills(c)).collect(Collectors.joining(", ")))
                    .line("all events on the topic %s, read model equal to the oracle %s after the load stopped",
                            notPublished == null ? "%.1f s".formatted(published) : "NOT within " + RECOVERY,
                            notCaughtUp == null ? "%.1f s".formatted(caughtUp) : "NOT within " + RECOVERY)
                    .line("events in the store %,d; topic records %,d, duplicates on the topic %,d", events.size(),
                            topic.recordCount(products), topic.duplicates(products))
                    .line("5xx other than 503 problem+json with Retry-After: %,d %s", serverErrors.size(),
                            serverErrors.stream().limit(5).toList())
                    .line("accepted orders not readable at GET /orders/{id}: %,d %s", unreadable.size(),
                            unreadable.stream().limit(5).toList())
                    .stock(oracle.expectedStock(), Stores.of(cluster).products(products))
                    .print();

            // Every check runs and every failure is reported, so that one broken invariant does not hide another.
            List<Throwable> failures = new ArrayList<>(noTakeover);
            failures.add(notPublished);
            failures.add(notCaughtUp);
            failures.add(Checks.capture(() -> {
                assertThat(faults).as("faults").hasSize(3 * scale.clusterRounds());
                assertThat(oracle.orders().size()).isGreaterThanOrEqualTo(scale.clusterOrders());
            }));
            failures.add(Checks.capture(() -> assertThat(oracle.count(Outcome.GAVE_UP))
                    .as("orders without a final answer").isZero()));
            failures.add(Checks.capture(() -> assertThat(oracle.count(Outcome.UNEXPECTED))
                    .as("orders with an unexpected answer: %s", oracle.orders().stream()
                            .filter(o -> o.outcome() == Outcome.UNEXPECTED).limit(5).toList()).isZero()));
            failures.add(Checks.capture(() -> assertThat(oracle.count(Outcome.ID_CONFLICT))
                    .as("repeats answered 409 for their own order id: %s", oracle.orders().stream()
                            .filter(o -> o.outcome() == Outcome.ID_CONFLICT).limit(5).toList()).isZero()));
            failures.add(Checks.capture(() -> assertThat(oracle.uncertainRestocks())
                    .as("restocks with unknown effect").isEmpty()));
            failures.add(Checks.capture(() -> assertThat(serverErrors)
                    .as("answers 5xx other than a 503 problem+json with Retry-After").isEmpty()));
            failures.add(Checks.capture(() -> Checks.assertUnavailableStoredNothing(oracle, events)));
            failures.add(Checks.capture(() -> Checks.assertEventStoreMatchesOracle(events, oracle, products)));
            failures.add(Checks.capture(() -> Checks.assertTopicMatchesStore(topic, events, products)));
            for (String queryUrl : cluster.queryUrls()) {
                failures.add(Checks.capture(() -> assertQueryApiShows(cluster.http(), queryUrl,
                        oracle.expectedStock())));
            }
            failures.add(Checks.capture(() -> assertThat(unreadable)
                    .as("accepted orders that GET /orders/{id} does not show as placed").isEmpty()));
            failures.add(Checks.capture(() -> Checks.assertReadModelEqualsFreshProjection(cluster, topic, products)));
            failures.removeIf(Objects::isNull);
            failures.forEach(failure -> System.out.printf("ClusterIT check failed: %s%n", oneLine(failure)));
            System.out.printf("ClusterIT: %d check(s) failed%n", failures.size());
            failures.stream().findFirst().ifPresent(Checks::rethrow);
        }
    }

    /**
     * Kills the broker that leads the most partitions of the topic (asked of Kafka's Admin client), waits until the
     * others lead every partition and for orders to be accepted while it is dead, restarts it and waits until it is
     * back in every partition's ISR, so that a later fault never leaves fewer than {@code min.insync.replicas}
     * copies.
     */
    private static CompletableFuture<Fault> killLeadingBroker(TestStack cluster, RunningLoad load, Scale scale,
                                                              ExecutorService restarts) {
        Map<Integer, Long> leaders = leadersByBroker(cluster);
        int nodeId = leaders.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        Child broker = cluster.kafkaBroker(nodeId);
        long from = System.currentTimeMillis();
        long killed = System.nanoTime();
        cluster.kill(broker);
        await("partition leadership moved off %s".formatted(broker.name())).atMost(RECOVERY)
                .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> leadersByBroker(cluster).getOrDefault(nodeId, 0L) == 0);
        double moved = (System.nanoTime() - killed) / 1e9;
        Map<Integer, Long> leadersWhileDead = leadersByBroker(cluster);
        awaitAccepted(load, scale.ordersPerFault(), scale, "while " + broker.name() + " is dead");
        return CompletableFuture.supplyAsync(() -> {
            double restart = cluster.restart(broker);
            long to = System.currentTimeMillis();
            long syncFrom = System.nanoTime();
            await("%s back in the ISR of every partition".formatted(broker.name())).atMost(RECOVERY)
                    .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> partitions(cluster).stream().allMatch(p -> p.isr().size() == p.replicas().size()));
            return new Fault("Kafka broker", broker.name(), from, to, restart, ("partition leaders by node before %s, "
                    + "moved off it %.1f s after the kill to %s; back in every ISR %.1f s after its restart")
                    .formatted(leaders, moved, leadersWhileDead, (System.nanoTime() - syncFrom) / 1e9));
        }, restarts);
    }

    /** Kills the second command side (restocks go to the first: a cut-off restock has no knowable effect). */
    private static CompletableFuture<Fault> killCommandSide(TestStack cluster, RunningLoad load, Scale scale,
                                                            ExecutorService restarts) {
        Child victim = cluster.commandSides().get(1);
        long from = System.currentTimeMillis();
        cluster.kill(victim);
        awaitAccepted(load, scale.ordersPerFault(), scale, "while " + victim.name() + " is dead");
        return CompletableFuture.supplyAsync(() -> {
            double restart = cluster.restart(victim);
            return new Fault("command side", victim.name(), from, System.currentTimeMillis(), restart,
                    "orders went to the other instance meanwhile");
        }, restarts);
    }

    /**
     * Kills the query side that holds the most of the projection's segments and measures the takeover: the time
     * from the kill until the read model shows, for every product with ample stock (those keep getting orders), an
     * event stored after the kill, so the killed instance's share is applied again by the survivor. Only then is the
     * killed one restarted.
     */
    private static CompletableFuture<Fault> killQuerySide(TestStack cluster, RunningLoad load, Scale scale,
                                                          List<String> ample, List<Throwable> noTakeover,
                                                          ExecutorService restarts) {
        Map<Integer, String> claims = Stores.of(cluster).projectionClaims();
        Child victim = cluster.querySides().stream()
                .max(Comparator.comparingLong(side -> claims.values().stream().filter(o -> owns(side, o)).count()))
                .orElseThrow();
        Child survivor = cluster.querySides().stream().filter(side -> side != victim).findFirst().orElseThrow();
        long held = claims.values().stream().filter(owner -> owns(victim, owner)).count();
        // The owner is matched by pid (the token store's default node id) or name, so it is taken before the kill.
        Predicate<String> victimOwns = victim.pid()
                .<Predicate<String>>map(pid -> owner -> owner.startsWith(pid + "@")
                        || owner.equals(victim.name()))
                .orElse(owner -> owner.equals(victim.name()));
        Map<String, Long> heads = Stores.of(cluster).streamHeads(ample);
        long from = System.currentTimeMillis();
        long killed = System.nanoTime();
        var claimedAfter = new AtomicLong(-1);
        cluster.kill(victim);
        Throwable failed = Checks.capture(() -> await("%s applying, for every product, events stored after %s was "
                + "killed".formatted(survivor.name(), victim.name())).atMost(TAKEOVER_WITHIN)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (claimedAfter.get() < 0 && Stores.of(cluster).projectionClaims().values().stream()
                            .noneMatch(victimOwns)) {
                        claimedAfter.set(System.nanoTime() - killed);
                    }
                    return advanced(Stores.of(cluster).products(ample), heads);
                }));
        double takeover = (System.nanoTime() - killed) / 1e9;
        Map<Integer, String> claimsAfter = Stores.of(cluster).projectionClaims();
        if (failed != null) {
            noTakeover.add(failed);
        }
        awaitAccepted(load, scale.ordersPerFault(), scale, "while " + victim.name() + " is dead");
        String detail = ("it held %d of %d segments %s; its claims were gone %s after the kill; takeover (every "
                + "product with ample stock shows an event stored after the kill, applied by %s) %s; claims then %s")
                .formatted(held, claims.size(), claims, claimedAfter.get() < 0 ? "not"
                                : "%.1f s".formatted(claimedAfter.get() / 1e9), survivor.name(),
                        failed == null ? "%.1f s".formatted(takeover) : "NOT within " + TAKEOVER_WITHIN, claimsAfter);
        return CompletableFuture.supplyAsync(() -> {
            double restart = cluster.restart(victim);
            return new Fault("query side", victim.name(), from, System.currentTimeMillis(), restart, detail);
        }, restarts);
    }

    /** The fault once its part is back; a failure of the restart as it was thrown. */
    private static Fault join(CompletableFuture<Fault> restarted) {
        try {
            return restarted.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /** Whether a token store owner is this instance: its instance id, or the JVM's default node id {@code pid@host}. */
    private static boolean owns(Child side, String owner) {
        return owner.equals(side.name())
                || side.pid().map(pid -> owner.startsWith(pid + "@")).orElse(false);
    }

    /** Whether every product's applied sequence is beyond the stream head it had at the kill. */
    private static boolean advanced(Map<String, Document> readModel, Map<String, Long> heads) {
        return heads.entrySet().stream().allMatch(head -> readModel.containsKey(head.getKey())
                && readModel.get(head.getKey()).getLong("lastSequence") > head.getValue());
    }

    private static void awaitAccepted(RunningLoad load, int more, Scale scale, String when) {
        int from = load.accepted();
        await("%d orders accepted %s".formatted(more, when)).atMost(scale.progressTimeout())
                .pollInterval(Duration.ofMillis(50)).until(() -> load.accepted() >= from + more);
    }

    private static Map<Integer, Long> leadersByBroker(TestStack cluster) {
        Map<Integer, Long> leaders = new TreeMap<>();
        cluster.kafkaBrokers().forEach(broker -> leaders.put(cluster.kafkaBrokers().indexOf(broker) + 1, 0L));
        partitions(cluster).stream().filter(p -> p.leader() != null && p.leader().id() >= 0)
                .forEach(p -> leaders.merge(p.leader().id(), 1L, Long::sum));
        return leaders;
    }

    private static List<TopicPartitionInfo> partitions(TestStack cluster) {
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(config)) {
            return admin.describeTopics(List.of(TestStack.TOPIC)).allTopicNames().get(15, TimeUnit.SECONDS)
                    .get(TestStack.TOPIC).partitions();
        } catch (Exception e) {
            throw new AssertionError("Cannot describe topic " + TestStack.TOPIC + ": " + e, e);
        }
    }

    /** The answers of the attempts that ran while the fault lasted (from the kill until ready again). */
    private static Map<String, Long> duringFault(Oracle oracle, Fault fault) {
        return oracle.orders().stream().flatMap(order -> order.attempts().stream())
                .filter(a -> a.startedAtMillis() < fault.to() && a.endedAtMillis() > fault.from())
                .collect(Collectors.groupingBy(a -> a.answered() ? String.valueOf(a.status()) : "no answer",
                        TreeMap::new, Collectors.counting()));
    }

    /** Every answer 500 or above that is not the documented 503 problem+json with Retry-After. */
    private static List<String> serverErrorsOtherThan503(Oracle oracle) {
        List<String> errors = new ArrayList<>();
        for (Oracle.OrderRecord order : oracle.orders()) {
            for (Attempt attempt : order.attempts()) {
                ShopClient.Response response = attempt.response();
                if (response == null || response.status() < 500) {
                    continue;
                }
                if (response.status() != 503 || !response.isProblem() || response.retryAfter().isEmpty()) {
                    errors.add(response.toString());
                }
            }
        }
        return errors;
    }

    /** Accepted orders that GET /orders/{id}, asked of the query sides in turn, does not show as placed. */
    private static List<String> unreadableOrders(TestStack cluster, Oracle oracle) {
        List<String> queryUrls = cluster.queryUrls();
        List<String> unreadable = new ArrayList<>();
        int n = 0;
        for (OrderRequest order : oracle.acceptedById().values()) {
            String url = queryUrls.get(n++ % queryUrls.size());
            ShopClient.Response response = cluster.http().getOrFail(url, "/orders/" + order.orderId());
            if (response.status() != 200
                    || !order.productId().equals(response.json().getString("productId"))
                    || ((Number) response.json().get("quantity")).intValue() != order.quantity()) {
                unreadable.add(response.toString());
            }
        }
        return unreadable;
    }

    private static String oneLine(Throwable failure) {
        String text = String.valueOf(failure.getMessage()).replaceAll("\\s+", " ").strip();
        return text.length() <= 400 ? text : text.substring(0, 400) + "…";
    }

    private static void assertQueryApiShows(ShopClient http, String queryUrl, Map<String, Integer> expected) {
        for (var entry : expected.entrySet()) {
            ShopClient.Response response = http.getOrFail(queryUrl, "/products/" + entry.getKey());
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            assertThat(((Number) response.json().get("quantity")).intValue())
                    .as("GET %s/products/%s", queryUrl, entry.getKey()).isEqualTo(entry.getValue());
        }
    }
}
