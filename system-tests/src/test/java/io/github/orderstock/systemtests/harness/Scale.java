package io.github.orderstock.systemtests.harness;

import java.util.Locale;

/**
 * How big each test runs. {@code ci} is sized for the whole suite ({@code ./mvnw verify}) to stay near 15 minutes on
 * a 2-core machine: its loads aim at half of what the single-node stack serves, so that a killed part's restart gets
 * CPU time; {@code soak} ({@code ./mvnw -pl system-tests -am verify -Dsoak}) runs more orders, faster, with more kills
 * and more rounds.
 *
 * @param name               ci or soak
 * @param clients            concurrent HTTP clients of a load run
 * @param orderRate          orders (and restocks) per second a load run of the crash tests aims at
 * @param replayRate         orders (and restocks) per second while test 6 replays
 * @param crashProducts      products a crash test spreads its orders over
 * @param querySideKills     kill -9 of the query side in test 1
 * @param querySideOrders    at least this many orders arrive during test 1
 * @param commandSideKills   kill -9 of the command side in test 2
 * @param commandSideOrders  at least this many orders arrive during test 2
 * @param kafkaOutages       kill -9 and restart of the broker in test 3
 * @param kafkaOrders        at least this many orders arrive during test 3
 * @param ordersPerOutage    orders accepted while the broker is dead, per outage
 * @param stormIds           order ids of the duplicate storm (test 4)
 * @param stormRepeats       concurrent identical POSTs per id
 * @param stormReusedIds     ids reused with another body
 * @param oversellRounds     rounds of test 5 (stock 50, 200 concurrent orders of 1 each)
 * @param replayOrders       orders before the replay of test 6, and at least as many again while it runs
 * @param replays            replays in test 6
 * @param poisonRounds       rounds of the three poison records in test 7
 * @param oldIdRepeats       order ids older than the product's memory repeated in test 8 (the product first takes
 *                           10,000 orders and twice as many again)
 * @param progressTimeout    how long a wait for the load's progress (so many more orders accepted) may take
 * @param clusterRounds      rounds of the cluster test, each killing a broker, a command side and a query side
 * @param clusterOrders      at least this many orders arrive during the cluster test
 * @param ordersPerFault     orders accepted while each part of the cluster is dead, at least
 * @param clusterRate        orders (and restocks) per second the cluster test aims at: below what seven JVMs on
 *                           two cores can serve (about 30/s), so that a killed part's restart gets CPU time
 */
public record Scale(String name, int clients, int orderRate, int replayRate, int crashProducts, int querySideKills,
                    int querySideOrders, int commandSideKills, int commandSideOrders, int kafkaOutages,
                    int kafkaOrders, int ordersPerOutage, int stormIds, int stormRepeats, int stormReusedIds,
                    int oversellRounds, int replayOrders, int replays, int poisonRounds, int oldIdRepeats,
                    java.time.Duration progressTimeout, int clusterRounds, int clusterOrders, int ordersPerFault,
                    int clusterRate) {

    public static final Scale CI = new Scale("ci", 12, 60, 50, 10, 2, 2_000, 2, 1_500, 1, 1_500, 400,
            100, 5, 20, 1, 600, 1, 1, 500, java.time.Duration.ofSeconds(120), 1, 1_000, 100, 20);

    public static final Scale SOAK = new Scale("soak", 16, 200, 80, 20, 15, 15_000, 8, 8_000, 3, 8_000, 3_000,
            500, 5, 100, 5, 3_000, 3, 3, 3_000, java.time.Duration.ofSeconds(300), 3, 10_000, 500, 25);

    /** The scale named by the system property {@code systemtests.scale} (set by the Maven profile), else CI. */
    public static Scale current() {
        String name = System.getProperty("systemtests.scale", "ci").trim().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "", "ci" -> CI;
            case "soak" -> SOAK;
            default -> throw new IllegalArgumentException("systemtests.scale must be ci or soak, not " + name);
        };
    }
}
