package io.github.orderstock.benchmark.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * When each answer of a measured run arrived and how long it took, on the {@link System#nanoTime()} clock (or any
 * other one clock); turned into a {@link Figures.Timeline} at the end. Thread-safe: the client threads of a run
 * record into one log. Two longs an answer, so a run of 100,000 orders holds 1.6 MB.
 */
public final class AnswerLog {

    /** Latency of an answer whose request time is not known (wrk cannot match an error body to its request). */
    public static final long UNKNOWN = -1;
    /** A last second shorter than this is left out: its rate would be over too short a time to mean anything. */
    private static final long SHORTEST_LAST_SECOND_NANOS = 100_000_000L;

    private long[] ends = new long[1024];
    private long[] latencies = new long[1024];
    private int size;

    /**
     * @param answeredAt  when the answer arrived
     * @param latencyNanos from sending the request until then, or {@link #UNKNOWN}
     */
    public synchronized void record(long answeredAt, long latencyNanos) {
        if (size == ends.length) {
            ends = Arrays.copyOf(ends, size * 2);
            latencies = Arrays.copyOf(latencies, size * 2);
        }
        ends[size] = answeredAt;
        latencies[size] = latencyNanos;
        size++;
    }

    public synchronized int size() {
        return size;
    }

    /**
     * The answers between {@code start} (the run's first request) and {@code end} (the end of the run), second by
     * second, and the longest window without any answer in between; answers outside are left out.
     */
    public synchronized Figures.Timeline timeline(long start, long end) {
        if (end < start) {
            throw new IllegalArgumentException("the run ends before it starts");
        }
        int count = 0;
        long[] sorted = new long[size];
        for (int i = 0; i < size; i++) {
            if (ends[i] >= start && ends[i] <= end) {
                sorted[count++] = ends[i];
            }
        }
        sorted = Arrays.copyOf(sorted, count);
        Arrays.sort(sorted);
        long longest = 0;
        long longestFrom = start;
        long previous = start;
        for (long answer : sorted) {
            if (answer - previous > longest) {
                longest = answer - previous;
                longestFrom = previous;
            }
            previous = answer;
        }
        if (end - previous > longest) {
            longest = end - previous;
            longestFrom = previous;
        }

        long length = end - start;
        int seconds = (int) (length / 1_000_000_000L);
        if (length % 1_000_000_000L >= SHORTEST_LAST_SECOND_NANOS || seconds == 0) {
            seconds++;
        }
        long[] answers = new long[seconds];
        List<List<Long>> latencyBySecond = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            latencyBySecond.add(new ArrayList<>());
        }
        for (int i = 0; i < size; i++) {
            if (ends[i] < start || ends[i] > end) {
                continue;
            }
            int second = (int) ((ends[i] - start) / 1_000_000_000L);
            if (second >= seconds) {
                continue;
            }
            answers[second]++;
            if (latencies[i] >= 0) {
                latencyBySecond.get(second).add(latencies[i]);
            }
        }
        List<Double> rate = new ArrayList<>();
        List<Double> p50 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        List<Double> max = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            long from = start + s * 1_000_000_000L;
            long to = Math.min(end, from + 1_000_000_000L);
            double secondLength = Math.max(to - from, 1) / 1e9;
            rate.add(answers[s] / secondLength);
            long[] inSecond = latencyBySecond.get(s).stream().mapToLong(Long::longValue).sorted().toArray();
            p50.add(percentileMs(inSecond, 0.50));
            p99.add(percentileMs(inSecond, 0.99));
            max.add(inSecond.length == 0 ? null : inSecond[inSecond.length - 1] / 1e6);
        }
        return new Figures.Timeline(count, longest / 1e6, (longestFrom - start) / 1e9, rate, p50, p99, max);
    }

    /** Nearest rank: the smallest value with at least {@code q} of the values at or below it; null if none. */
    static Double percentileMs(long[] sorted, double q) {
        if (sorted.length == 0) {
            return null;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(rank, 1) - 1] / 1e6;
    }
}
