package io.github.orderstock.benchmark.report;

import java.util.List;
import java.util.Map;

/** The figures of each phase, as they appear in the table and in the JSON. Durations in seconds, latencies in ms. */
public final class Figures {

    private Figures() {
    }

    /**
     * From launching the stack until it accepted an order for product "1" and the read model shows its stock 9.
     *
     * @param stackAllUpSeconds until the stack's start returned (what ./start reports as "All up in X s"): its parts answer health checks
     * @param readySeconds      until an order was accepted (201) and applied (GET shows 9)
     */
    public record ColdStart(double stackAllUpSeconds, double readySeconds, double firstOrderAcceptedSeconds) {
    }

    /**
     * One wrk run of POST /orders.
     *
     * @param timeline its answers second by second and its longest window without any answer; null in reports
     *                 written before the benchmark recorded them
     */
    public record Http(int connections, int threads, double seconds, long requests, double requestsPerSecond,
                       double p50Ms, double p99Ms, double maxMs, long non2xx, long connectErrors, long readErrors,
                       long writeErrors, long timeouts, Timeline timeline) {

        public Http(int connections, int threads, double seconds, long requests, double requestsPerSecond,
                    double p50Ms, double p99Ms, double maxMs, long non2xx, long connectErrors, long readErrors,
                    long writeErrors, long timeouts) {
            this(connections, threads, seconds, requests, requestsPerSecond, p50Ms, p99Ms, maxMs, non2xx,
                    connectErrors, readErrors, writeErrors, timeouts, null);
        }

        /** Answers other than 2xx or 3xx, plus socket errors and timeouts. */
        public long errors() {
            return non2xx + connectErrors + readErrors + writeErrors + timeouts;
        }

        /** 2xx answers per second: what the target is about. */
        public double acceptedPerSecond() {
            return seconds <= 0 ? 0 : (requests - non2xx) / seconds;
        }
    }

    /**
     * One end-to-end run.
     *
     * @param postSeconds     from the first request until the last answer
     * @param seconds         from the first request until every product's stock in the read model was exactly right
     * @param ordersPerSecond orders / seconds
     * @param errors          answers other than 201 (each retried with the same order id), and transport failures
     * @param exact           whether the read model reached exactly the expected stock before the deadline
     * @param timeline        the answers from the first request until the last answer; null in older reports
     */
    public record EndToEnd(int orders, int products, double postSeconds, double seconds, double ordersPerSecond,
                           long errors, boolean exact, String detail, Timeline timeline) {

        public EndToEnd(int orders, int products, double postSeconds, double seconds, double ordersPerSecond,
                        long errors, boolean exact, String detail) {
            this(orders, products, postSeconds, seconds, ordersPerSecond, errors, exact, detail, null);
        }
    }

    /**
     * What the answers of one measured run looked like over time: second by second from its first request, and the
     * longest interval in which no request got any answer at all (a freeze shows as a long one).
     *
     * @param answers                   answers (any HTTP status; a transport failure is none) in the run
     * @param longestSilenceMs          the longest interval from the first request to the end of the run without any
     *                                  answer, its ends included
     * @param longestSilenceFromSeconds when that interval began, in seconds after the first request
     * @param answersPerSecond          the rate of answers in each second after the first request (the last second
     *                                  may be shorter; its rate is over its length)
     * @param p50Ms                     latency of the answers that arrived in that second, null where none did
     *                                  (or none whose latency is known)
     */
    public record Timeline(long answers, double longestSilenceMs, double longestSilenceFromSeconds,
                           List<Double> answersPerSecond, List<Double> p50Ms, List<Double> p99Ms,
                           List<Double> maxMs) {
    }

    /**
     * The old-order-ids scenario (issue 13): a product takes more orders than it remembers, then ids older than its
     * memory are repeated by some clients while others send fresh orders to the same product.
     *
     * @param fillOrdersPerSecond  the rate of the fill, a baseline for the fresh orders' rate
     * @param repeatStatuses       the final answer of each repeat, by HTTP status (-1: none)
     * @param freshOrdersPerSecond fresh orders accepted (201) per second while the repeats were sent
     * @param timeline             every answer (repeats and fresh) during the repeats: the freeze detector
     * @param freshTimeline        the fresh orders' answers alone
     * @param exact                whether the product's stock in the read model came out exact
     */
    public record OldOrderIds(int remembered, int fillOrders, int fillClients, double fillSeconds,
                              double fillOrdersPerSecond, int repeats, int repeatClients, int freshClients,
                              double seconds, Map<Integer, Long> repeatStatuses, long freshAccepted,
                              double freshOrdersPerSecond, long errors, boolean exact, String detail,
                              Timeline timeline, Timeline freshTimeline) {
    }

    /**
     * The replay phase.
     *
     * @param events              synthetic events written onto the topic
     * @param liveSeconds         from the first write until the live projection had applied them all
     * @param recordsToReplay     the whole topic when the replay started (earlier phases' events included)
     * @param resetSeconds        until POST /admin/replay answered: the query side clears the read model inside it
     * @param replaySeconds       completedAt - startedAt as the query side reports them
     * @param eventsPerSecond     recordsReplayed / replaySeconds
     * @param replayWallSeconds   from POST /admin/replay until GET /admin/replay said COMPLETED, seen from here
     * @param verified            whether the rebuilt read model equals the one before and every synthetic product's
     *                            stock is exact
     */
    public record Replay(long events, int products, double writeSeconds, double liveSeconds,
                         double liveEventsPerSecond, long recordsToReplay, long recordsReplayed, double resetSeconds,
                         double replaySeconds,
                         double eventsPerSecond, double replayWallSeconds, boolean verified, String verification) {
    }

    /**
     * Resident memory of one process of the stack.
     *
     * @param peakMiB  the kernel's high-water mark of its resident set (VmHWM)
     * @param finalMiB the last sample of VmRSS
     */
    public record Memory(String process, long pid, double peakMiB, double finalMiB, int samples) {
    }

    /**
     * CPU used during one measured run, by part of the stack (and the load generator).
     *
     * @param percentOfCore by part: CPU seconds used / run seconds × 100 (on 2 cores at most 200 in all)
     */
    public record CpuUse(String run, double seconds, Map<String, Double> percentOfCore) {
    }

    /** A phase that could not finish, and why. */
    public record Failure(String phase, String message) {
    }

    /** A figure held against its target. */
    public record TargetCheck(String figure, String target, String actual, boolean pass) {

        public String result() {
            return pass ? "pass" : "miss";
        }
    }
}
