package io.github.orderstock.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.orderstock.devstack.Child;
import io.github.orderstock.systemtests.harness.Checks;
import io.github.orderstock.systemtests.harness.Figures;
import io.github.orderstock.systemtests.harness.Scale;
import io.github.orderstock.systemtests.harness.Stores;
import io.github.orderstock.systemtests.harness.Stores.StoredEvent;
import io.github.orderstock.systemtests.harness.SystemStackExtension;
import io.github.orderstock.testsupport.LoadClient;
import io.github.orderstock.testsupport.Oracle;
import io.github.orderstock.testsupport.Oracle.Attempt;
import io.github.orderstock.testsupport.RunningLoad;
import io.github.orderstock.testsupport.ShopClient;
import io.github.orderstock.testsupport.TestStack;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Test 9 (issue 13, ADR 9): the MongoDB stand-in hangs (SIGSTOP) and then dies (kill -9, restarted on its data)
 * while orders keep arriving. Every request during the outage is answered within {@link #ANSWER_BOUND}, with 2xx or
 * 503 problem+json and {@code Retry-After}; readiness of both services says DOWN (503) within
 * {@link #READINESS_BOUND}; both recover on their own within {@link #RECOVERY}; stock is exact afterwards.
 */
@Order(80)
@ExtendWith(SystemStackExtension.class)
class MongoOutageIT {

    /** The driver's deadlines (app.mongo: 2 s server selection, 3 s per round trip) plus a margin for a busy machine. */
    static final Duration ANSWER_BOUND = Duration.ofSeconds(10);
    /** Heartbeat every second, 2 s to notice a hung server, 1.5 s health ping deadline. */
    static final Duration READINESS_BOUND = Duration.ofSeconds(10);
    static final Duration RECOVERY = Duration.ofSeconds(60);
    static final Duration HUNG_FOR = Duration.ofSeconds(15);
    static final Duration DEAD_FOR = Duration.ofSeconds(10);

    /** One answer (or none) to a probe of readiness or of a read, with how long it took. */
    private record Probe(String what, long startedAtMillis, long millis, int status, boolean problem,
                         boolean retryAfter, String error) {
    }

    private record Outage(String kind, long from, long to, double readyDownAfter, double recoveredAfter) {
    }

    @Test
    void aHungOrDeadMongoDbIsAnsweredWithin503AndRecoveredFrom(TestStack stack) throws Exception {
        Scale scale = Scale.current();
        var figures = new Figures("9. MongoDB stand-in stopped (SIGSTOP) %d s, then killed (kill -9) %d s, under load"
                .formatted(HUNG_FOR.toSeconds(), DEAD_FOR.toSeconds()));
        var oracle = new Oracle();
        var client = new LoadClient(stack.http(), stack.commandUrl(), oracle);
        List<String> products = client.addProducts("t9", 4, 0, 0, 1_000_000);
        Checks.awaitReadModel(stack, oracle, products, Duration.ofSeconds(60));

        List<Probe> probes = Collections.synchronizedList(new ArrayList<>());
        List<Outage> outages = new ArrayList<>();
        // No restocks: one answered 503 may or may not have been applied, and the oracle must be exact.
        RunningLoad load = client.start(new RunningLoad.Plan("t9-o", products, scale.clients(), scale.orderRate(),
                1_000, 3, 0));
        Thread prober = startProbes(stack, products.get(0), probes);
        try {
            Child mongo = stack.mongoStandIn();
            awaitProgress(load, 200);
            long pid = mongo.pid().orElseThrow(() -> new AssertionError("the MongoDB stand-in is not running"));
            outages.add(outage(stack, load, "hung (SIGSTOP)", HUNG_FOR, () -> signal(pid, "STOP"),
                    () -> signal(pid, "CONT")));
            awaitProgress(load, 200);
            outages.add(outage(stack, load, "dead (kill -9)", DEAD_FOR, () -> stack.kill(mongo),
                    () -> stack.restart(mongo)));
            awaitProgress(load, 200);
            load.stopAndAwait(Duration.ofMinutes(4));
        } catch (AssertionError | RuntimeException e) {
            figures.load(load, scale.clients(), scale.orderRate()).printFailure(oracle, "during the outages", e);
            throw e;
        } finally {
            load.close();
            prober.interrupt();
            prober.join(TimeUnit.SECONDS.toMillis(30));
        }

        Throwable notCaughtUp = Checks.capture(() -> Checks.awaitReadModel(stack, oracle, products,
                Duration.ofSeconds(180)));
        List<Attempt> during = oracle.orders().stream().flatMap(order -> order.attempts().stream())
                .filter(attempt -> outages.stream().anyMatch(o -> attempt.startedAtMillis() < o.to()
                        && attempt.endedAtMillis() > o.from()))
                .toList();
        List<Probe> probesDuring = probes.stream().filter(probe -> outages.stream()
                .anyMatch(o -> probe.startedAtMillis() < o.to() && probe.startedAtMillis() + probe.millis() > o.from()))
                .toList();
        figures.orders(oracle).load(load, scale.clients(), scale.orderRate());
        for (Outage outage : outages) {
            figures.line("outage             MongoDB %s %.1f s: readiness of both services DOWN %.1f s after it "
                            + "began; orders accepted and both ready again %.1f s after it ended", outage.kind(),
                    (outage.to() - outage.from()) / 1e3, outage.readyDownAfter(), outage.recoveredAfter());
        }
        figures.line("POSTs during the outages %,d: %s; slowest answer %,d ms (bound %d s)", during.size(),
                        during.stream().collect(Collectors.groupingBy(a -> a.answered() ? String.valueOf(a.status())
                                : "no answer", TreeMap::new, Collectors.counting())),
                        during.stream().mapToLong(a -> a.endedAtMillis() - a.startedAtMillis()).max().orElse(0),
                        ANSWER_BOUND.toSeconds())
                .line("probes during the outages %,d: %s", probesDuring.size(), probeSummary(probesDuring))
                .line("read model equal to the oracle after the load: %s", notCaughtUp == null ? "yes" : "NO")
                .stock(oracle.expectedStock(), Stores.of(stack).products(products))
                .print();

        Checks.rethrow(notCaughtUp);
        assertThat(during).as("POSTs during the outages").isNotEmpty();
        for (Attempt attempt : during) {
            assertThat(attempt.answered()).as("a POST during the outage without answer: %s", attempt.error())
                    .isTrue();
            assertThat(attempt.endedAtMillis() - attempt.startedAtMillis()).as("ms to answer %s", attempt.response())
                    .isLessThanOrEqualTo(ANSWER_BOUND.toMillis());
            ShopClient.Response response = attempt.response();
            assertThat(response.status()).as(response.toString()).isIn(200, 201, 503);
            if (response.status() == 503) {
                assertThat(response.isProblem()).as("503 is problem+json: %s", response).isTrue();
                assertThat(response.retryAfter()).as("503 has Retry-After: %s", response).isPresent();
            }
        }
        assertThat(during.stream().filter(a -> a.status() == 503)).as("POSTs answered 503 during the outages")
                .isNotEmpty();
        for (Probe probe : probesDuring) {
            assertThat(probe.error()).as("%s without answer", probe.what()).isNull();
            assertThat(probe.millis()).as("ms to answer %s", probe.what())
                    .isLessThanOrEqualTo(ANSWER_BOUND.toMillis());
            assertThat(probe.status()).as("%s", probe.what()).isIn(200, 503);
            if (probe.what().startsWith("GET /products") && probe.status() == 503) {
                assertThat(probe.problem() && probe.retryAfter()).as("503 of %s is problem+json with Retry-After",
                        probe.what()).isTrue();
            }
        }
        Checks.assertEveryAnswerFinal(oracle);
        // A 503 here may come after the write was made (its answer timed out); the repeat then finds the order
        // placed and answers 2xx, so each order id is still placed once (checked against the event store).
        List<StoredEvent> events = Stores.of(stack).events(products);
        Checks.assertEventStoreMatchesOracle(events, oracle, products);
        Checks.assertQueryApiShows(stack, oracle.expectedStock());
    }

    /** Breaks MongoDB, holds the break for {@code hold}, heals it, and measures readiness and recovery. */
    private static Outage outage(TestStack stack, RunningLoad load, String kind, Duration hold, Runnable breakIt,
                                 Runnable healIt) {
        long from = System.currentTimeMillis();
        breakIt.run();
        await("readiness of both services DOWN with MongoDB " + kind).atMost(READINESS_BOUND)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> readiness(stack, stack.commandUrl()) == 503 && readiness(stack, stack.queryUrl()) == 503);
        double down = (System.currentTimeMillis() - from) / 1e3;
        long until = from + hold.toMillis();
        // Holding the outage for its stated length is the test's scenario, not a wait for a condition.
        while (System.currentTimeMillis() < until) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(until - System.currentTimeMillis()));
        }
        healIt.run();
        long to = System.currentTimeMillis();
        int accepted = load.accepted();
        await("orders accepted and both services ready after MongoDB was " + kind).atMost(RECOVERY)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> load.accepted() > accepted + 20 && readiness(stack, stack.commandUrl()) == 200
                        && readiness(stack, stack.queryUrl()) == 200);
        return new Outage(kind, from, to, down, (System.currentTimeMillis() - to) / 1e3);
    }

    private static int readiness(TestStack stack, String base) {
        try {
            return stack.http().get(base, "/actuator/health/readiness").status();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Probes readiness of both services and a product read every 250 ms, recording every answer and its time. */
    private static Thread startProbes(TestStack stack, String product, List<Probe> probes) {
        Thread thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                probe(stack, "readiness of the command side", stack.commandUrl(), "/actuator/health/readiness", probes);
                probe(stack, "readiness of the query side", stack.queryUrl(), "/actuator/health/readiness", probes);
                probe(stack, "GET /products/" + product, stack.queryUrl(), "/products/" + product, probes);
                // Pacing of the probes, not a wait for a condition.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
            }
        }, "t9-probes");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void probe(TestStack stack, String what, String base, String path, List<Probe> probes) {
        long started = System.currentTimeMillis();
        try {
            ShopClient.Response response = stack.http().get(base, path);
            probes.add(new Probe(what, started, System.currentTimeMillis() - started, response.status(),
                    response.isProblem(), response.retryAfter().isPresent(), null));
        } catch (IOException e) {
            if (!Thread.currentThread().isInterrupted()) {
                probes.add(new Probe(what, started, System.currentTimeMillis() - started, -1, false, false,
                        e.toString()));
            }
        }
    }

    private static Map<String, String> probeSummary(List<Probe> probes) {
        return probes.stream().collect(Collectors.groupingBy(Probe::what, TreeMap::new, Collectors.collectingAndThen(
                Collectors.toList(), list -> "%d probes %s, slowest %,d ms".formatted(list.size(),
                        list.stream().collect(Collectors.groupingBy(p -> p.status() < 0 ? "no answer"
                                : String.valueOf(p.status()), TreeMap::new, Collectors.counting())),
                        list.stream().mapToLong(Probe::millis).max().orElse(0)))));
    }

    private static void awaitProgress(RunningLoad load, int orders) {
        int before = load.accepted();
        await("%d more orders accepted".formatted(orders)).atMost(Scale.current().progressTimeout())
                .pollInterval(Duration.ofMillis(100)).until(() -> load.accepted() >= before + orders);
    }

    private static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0)
                    .as("kill -%s %d succeeded", signal, pid).isTrue();
        } catch (IOException e) {
            throw new AssertionError("kill -" + signal + " " + pid + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
