package io.github.orderstock.benchmark;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The parts of a run, as {@code --only} names them, in the order they run. */
public enum Phase {
    /** Cold start of the whole stack (only when the benchmark starts it). */
    START,
    /** POST /orders throughput and latency with wrk. */
    HTTP,
    /** End to end: orders until the read model is exact. */
    E2E,
    /** Repeats of order ids older than the product remembers, while fresh orders flow (issue 13). */
    OLD_IDS,
    /** Rebuilding the read model from the topic. */
    REPLAY,
    /** Resident memory of every process of the stack, sampled through the whole run. */
    MEMORY;

    public String optionName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Phase of(String name) {
        for (Phase phase : values()) {
            if (phase.optionName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return phase;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a phase; the phases are " + names());
    }

    static String names() {
        return Arrays.stream(values()).map(Phase::optionName).collect(Collectors.joining(","));
    }
}
