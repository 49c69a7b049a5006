package io.github.orderstock.benchmark.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.github.orderstock.benchmark.report.Figures.TargetCheck;

/** The targets of issue 5, each held against the figure it is about. */
public final class Targets {

    public static final double END_TO_END_ORDERS_PER_SECOND = 3_000;
    public static final int HTTP_TARGET_CONNECTIONS = 64;
    public static final double HTTP_ACCEPTED_PER_SECOND = 4_000;
    public static final double HTTP_P99_MS = 50;
    public static final double REPLAY_EVENTS_PER_SECOND = 50_000;
    public static final double SERVICE_RESIDENT_MIB = 400;
    public static final double STACK_READY_SECONDS = 20;
    /** The services the memory target is about; Kafka, the stand-in and the launcher are shown without one. */
    public static final Set<String> SERVICES = Set.of("command-side", "query-side");

    private Targets() {
    }

    static TargetCheck coldStart(Figures.ColdStart figures) {
        return new TargetCheck("whole stack ready", "≤ %.0f s".formatted(STACK_READY_SECONDS),
                "%.1f s".formatted(figures.readySeconds()), figures.readySeconds() <= STACK_READY_SECONDS);
    }

    static Optional<TargetCheck> http(Figures.Http figures) {
        if (figures.connections() != HTTP_TARGET_CONNECTIONS) {
            return Optional.empty();
        }
        boolean pass = figures.acceptedPerSecond() >= HTTP_ACCEPTED_PER_SECOND && figures.p99Ms() <= HTTP_P99_MS;
        return Optional.of(new TargetCheck("POST /orders, %d clients".formatted(figures.connections()),
                "≥ %,.0f/s, p99 ≤ %.0f ms".formatted(HTTP_ACCEPTED_PER_SECOND, HTTP_P99_MS),
                "%,.0f/s, p99 %s".formatted(figures.acceptedPerSecond(), TableRenderer.millis(figures.p99Ms())),
                pass));
    }

    static TargetCheck endToEnd(Figures.EndToEnd figures) {
        return new TargetCheck("end to end, %,d orders over %d product%s".formatted(figures.orders(),
                figures.products(), figures.products() == 1 ? "" : "s"),
                "≥ %,.0f orders/s".formatted(END_TO_END_ORDERS_PER_SECOND),
                figures.exact() ? "%,.0f orders/s".formatted(figures.ordersPerSecond()) : "not exact",
                figures.exact() && figures.ordersPerSecond() >= END_TO_END_ORDERS_PER_SECOND);
    }

    static TargetCheck replay(Figures.Replay figures) {
        return new TargetCheck("replay", "≥ %,.0f events/s".formatted(REPLAY_EVENTS_PER_SECOND),
                "%,.0f events/s%s".formatted(figures.eventsPerSecond(), figures.verified() ? "" : ", NOT exact"),
                figures.verified() && figures.eventsPerSecond() >= REPLAY_EVENTS_PER_SECOND);
    }

    static Optional<TargetCheck> memory(Figures.Memory figures) {
        if (!SERVICES.contains(figures.process())) {
            return Optional.empty();
        }
        return Optional.of(new TargetCheck("resident memory, " + figures.process(),
                "≤ %.0f MiB".formatted(SERVICE_RESIDENT_MIB), "%.0f MiB peak".formatted(figures.peakMiB()),
                figures.peakMiB() <= SERVICE_RESIDENT_MIB));
    }

    /** Every target the report has a figure for, in table order. */
    static List<TargetCheck> all(Report report) {
        List<TargetCheck> checks = new ArrayList<>();
        if (report.coldStart() != null) {
            checks.add(coldStart(report.coldStart()));
        }
        report.http().forEach(figures -> http(figures).ifPresent(checks::add));
        report.endToEnd().forEach(figures -> checks.add(endToEnd(figures)));
        if (report.replay() != null) {
            checks.add(replay(report.replay()));
        }
        report.memory().forEach(figures -> memory(figures).ifPresent(checks::add));
        return checks;
    }
}
