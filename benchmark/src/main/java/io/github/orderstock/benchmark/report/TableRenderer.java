package io.github.orderstock.benchmark.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.github.orderstock.benchmark.report.Figures.TargetCheck;

/** The report as the table printed at the end of a run, each figure beside its target. */
public final class TableRenderer {

    private static final String INDENT = "  ";

    private TableRenderer() {
    }

    public static String render(Report report) {
        var text = new StringBuilder();
        String nl = System.lineSeparator();
        text.append("order-stock benchmark, ").append(report.startedAt())
                .append(report.isComplete() ? "" : " (INTERRUPTED: partial figures)").append(nl);
        text.append(INDENT).append("machine  ").append(report.machine().describe()).append(nl);
        Map<String, Object> settings = report.settings();
        text.append(INDENT).append("stack    ").append(settings.getOrDefault("stack", "?"));
        if (report.machine().mongoBackend() != null) {
            text.append("; MongoDB stand-in backend: ").append(report.machine().mongoBackend());
        }
        text.append(nl);

        coldStart(report, text);
        http(report, text);
        endToEnd(report, text);
        oldOrderIds(report, text);
        replay(report, text);
        memory(report, text);
        cpu(report, text);

        if (report.http().stream().anyMatch(run -> run.timeline() != null)
                || report.endToEnd().stream().anyMatch(run -> run.timeline() != null)
                || report.oldOrderIds() != null) {
            text.append(nl).append("longest silence: the longest interval from a run's first request to its end in "
                    + "which no request got any answer (a freeze shows here); each run second by second is drawn in "
                    + "the .svg beside the JSON.").append(nl);
        }

        List<TargetCheck> targets = Targets.all(report);
        if (!targets.isEmpty()) {
            long met = targets.stream().filter(TargetCheck::pass).count();
            text.append(nl).append("Targets: %d of %d met".formatted(met, targets.size()));
            List<String> missed = targets.stream().filter(check -> !check.pass()).map(TargetCheck::figure).toList();
            text.append(missed.isEmpty() ? "." : "; missed: " + String.join("; ", missed) + ".").append(nl);
        }
        for (String note : report.notes()) {
            text.append("Note: ").append(note).append(nl);
        }
        for (Figures.Failure failure : report.failures()) {
            text.append("FAILED ").append(failure.phase()).append(": ").append(failure.message()).append(nl);
        }
        return text.toString();
    }

    private static void coldStart(Report report, StringBuilder text) {
        Figures.ColdStart figures = report.coldStart();
        if (figures == null) {
            return;
        }
        TargetCheck check = Targets.coldStart(figures);
        var table = new TextTable("figure", ">value", "target", "result")
                .row("ready: an order for product 1 accepted (201) and applied (stock 9)",
                        seconds(figures.readySeconds()), check.target(), check.result())
                .row("  of which until the order was accepted", seconds(figures.firstOrderAcceptedSeconds()))
                .row("every part serving (Stack.start returned)", seconds(figures.stackAllUpSeconds()));
        section(text, "Cold start (from starting the stack's parts on a fresh data directory)", table);
    }

    private static void http(Report report, StringBuilder text) {
        List<Figures.Http> runs = report.http();
        if (runs.isEmpty()) {
            return;
        }
        var table = new TextTable(">clients", ">threads", ">requests", ">req/s", ">p50", ">p99", ">max", ">non-2xx",
                ">socket errors", ">longest silence", "target", "result");
        for (Figures.Http run : runs) {
            Optional<TargetCheck> check = Targets.http(run);
            table.row(run.connections(), run.threads(), "%,d".formatted(run.requests()),
                    "%,.0f".formatted(run.requestsPerSecond()), millis(run.p50Ms()), millis(run.p99Ms()),
                    millis(run.maxMs()), "%,d".formatted(run.non2xx()),
                    "%,d".formatted(run.errors() - run.non2xx()), silence(run.timeline()),
                    check.map(TargetCheck::target).orElse(""), check.map(TargetCheck::result).orElse(""));
        }
        Map<String, Object> settings = report.settings();
        section(text, ("HTTP POST /orders (wrk --latency, %s s per level after a %s s warm-up with %s clients; unique "
                + "order ids over %s products)").formatted(settings.get("httpSecondsPerLevel"),
                settings.get("httpWarmUpSeconds"), settings.get("httpWarmUpConnections"),
                settings.get("httpProducts")), table);
        Double catchUp = report.httpReadModelCatchUpSeconds();
        if (catchUp != null) {
            text.append(INDENT).append("the read model had applied every accepted order %.1f s after the last run"
                    .formatted(catchUp)).append(System.lineSeparator());
        }
    }

    private static void endToEnd(Report report, StringBuilder text) {
        List<Figures.EndToEnd> runs = report.endToEnd();
        if (runs.isEmpty()) {
            return;
        }
        var table = new TextTable(">orders", ">products", ">all answered", ">stock exact", ">orders/s", ">errors",
                ">longest silence", "target", "result");
        for (Figures.EndToEnd run : runs) {
            TargetCheck check = Targets.endToEnd(run);
            table.row("%,d".formatted(run.orders()), run.products(), seconds(run.postSeconds()),
                    run.exact() ? seconds(run.seconds()) : "NOT exact", "%,.0f".formatted(run.ordersPerSecond()),
                    "%,d".formatted(run.errors()), silence(run.timeline()), check.target(), check.result());
        }
        section(text, "End to end (64 client threads, quantity 1 each; clock from the first request until every "
                + "product's stock in the read model is exact)", table);
        for (Figures.EndToEnd run : runs) {
            if (run.detail() != null && !run.detail().isBlank()) {
                text.append(INDENT).append("%,d/%d: %s".formatted(run.orders(), run.products(), run.detail()))
                        .append(System.lineSeparator());
            }
        }
    }

    private static void oldOrderIds(Report report, StringBuilder text) {
        Figures.OldOrderIds figures = report.oldOrderIds();
        if (figures == null) {
            return;
        }
        var table = new TextTable("figure", ">orders", ">seconds", ">orders/s", ">longest silence")
                .row("fill: fresh orders on one product, %d clients".formatted(figures.fillClients()),
                        "%,d".formatted(figures.fillOrders()), "%.1f".formatted(figures.fillSeconds()),
                        "%,.0f".formatted(figures.fillOrdersPerSecond()))
                .row("repeats of the oldest ids, %d clients".formatted(figures.repeatClients()),
                        "%,d".formatted(figures.repeats()), "%.1f".formatted(figures.seconds()),
                        "%,.0f".formatted(figures.repeats() / figures.seconds()), silence(figures.timeline()))
                .row("  meanwhile fresh orders accepted, %d clients".formatted(figures.freshClients()),
                        "%,d".formatted(figures.freshAccepted()), "%.1f".formatted(figures.seconds()),
                        "%,.0f".formatted(figures.freshOrdersPerSecond()), silence(figures.freshTimeline()));
        section(text, ("Old order ids (%,d orders on one product, which remembers the last %,d; then its %,d oldest "
                + "ids repeated while fresh orders flow)").formatted(figures.fillOrders(), figures.remembered(),
                figures.repeats()), table);
        text.append(INDENT).append("repeats' final answers by status: ").append(figures.repeatStatuses())
                .append("; errors %,d; stock in the read model %s".formatted(figures.errors(),
                        figures.exact() ? "exact" : "NOT exact")).append(System.lineSeparator());
        if (figures.detail() != null && !figures.detail().isBlank()) {
            text.append(INDENT).append(figures.detail()).append(System.lineSeparator());
        }
    }

    private static void replay(Report report, StringBuilder text) {
        Figures.Replay figures = report.replay();
        if (figures == null) {
            return;
        }
        TargetCheck check = Targets.replay(figures);
        var table = new TextTable("figure", ">events", ">seconds", ">events/s", "target", "result")
                .row("written onto the topic (one producer)", "%,d".formatted(figures.events()),
                        "%.1f".formatted(figures.writeSeconds()), rate(figures.events(), figures.writeSeconds()))
                .row("live consumption until the read model had them all", "%,d".formatted(figures.events()),
                        "%.1f".formatted(figures.liveSeconds()), "%,.0f".formatted(figures.liveEventsPerSecond()))
                .row("POST /admin/replay answered (it clears the read model)", "",
                        "%.1f".formatted(figures.resetSeconds()))
                .row("replay of the whole topic (startedAt..completedAt)", "%,d".formatted(figures.recordsReplayed()),
                        "%.1f".formatted(figures.replaySeconds()), "%,.0f".formatted(figures.eventsPerSecond()),
                        check.target(), check.result())
                .row("  seen from here (POST until COMPLETED)", "", "%.1f".formatted(figures.replayWallSeconds()));
        section(text, "Replay (%,d synthetic events over %,d fresh products, written straight onto the topic)"
                .formatted(figures.events(), figures.products()), table);
        text.append(INDENT).append("rebuilt read model: ").append(figures.verification())
                .append(System.lineSeparator());
    }

    private static void memory(Report report, StringBuilder text) {
        List<Figures.Memory> processes = report.memory();
        if (processes.isEmpty()) {
            return;
        }
        var table = new TextTable("process", ">pid", ">peak MiB", ">final MiB", ">samples", "target", "result");
        for (Figures.Memory process : processes) {
            Optional<TargetCheck> check = Targets.memory(process);
            table.row(process.process(), process.pid(), "%.0f".formatted(process.peakMiB()),
                    "%.0f".formatted(process.finalMiB()), process.samples(),
                    check.map(TargetCheck::target).orElse(""), check.map(TargetCheck::result).orElse(""));
        }
        section(text, "Resident memory (VmRSS sampled every second through the run; peak is the kernel's VmHWM)",
                table);
    }

    private static void cpu(Report report, StringBuilder text) {
        List<Figures.CpuUse> runs = report.cpu();
        if (runs.isEmpty()) {
            return;
        }
        Set<String> parts = new LinkedHashSet<>();
        for (String preferred : List.of("command-side", "query-side", "mongo stand-in", "kafka", "dev-stack launcher",
                "load generator")) {
            if (runs.stream().anyMatch(run -> run.percentOfCore().containsKey(preferred))) {
                parts.add(preferred);
            }
        }
        runs.forEach(run -> run.percentOfCore().forEach((part, percent) -> {
            if (percent >= 0.5) {
                parts.add(part);
            }
        }));
        List<String> headers = new ArrayList<>(List.of("run", ">seconds"));
        parts.forEach(part -> headers.add(">" + part));
        var table = new TextTable(headers.toArray(String[]::new));
        for (Figures.CpuUse run : runs) {
            List<Object> cells = new ArrayList<>(List.of(run.run(), "%.1f".formatted(run.seconds())));
            parts.forEach(part -> cells.add("%.0f".formatted(run.percentOfCore().getOrDefault(part, 0.0))));
            table.row(cells.toArray());
        }
        section(text, "CPU during each run (%% of one core; the machine has %d, so at most %d in all)"
                .formatted(report.machine().cores(), report.machine().cores() * 100), table);
    }

    private static void section(StringBuilder text, String title, TextTable table) {
        text.append(System.lineSeparator()).append(title).append(System.lineSeparator())
                .append(table.render(INDENT));
    }

    /** The longest window without any answer, or blank for a report written before it was measured. */
    static String silence(Figures.Timeline timeline) {
        return timeline == null ? "" : millis(timeline.longestSilenceMs());
    }

    static String seconds(double seconds) {
        return "%.1f s".formatted(seconds);
    }

    static String millis(double millis) {
        if (millis < 10) {
            return "%.2f ms".formatted(millis);
        }
        return millis < 1000 ? "%.1f ms".formatted(millis) : "%,.0f ms".formatted(millis);
    }

    private static String rate(long count, double seconds) {
        return seconds <= 0 ? "" : "%,.0f".formatted(count / seconds);
    }
}
