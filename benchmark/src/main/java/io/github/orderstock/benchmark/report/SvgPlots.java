package io.github.orderstock.benchmark.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Every run's timeline as one SVG image, written as text (no library): a row per run, answers per second on the left,
 * latency p50 / p99 / max per second on the right (logarithmic), the longest window without any answer shaded red on
 * both.
 */
final class SvgPlots {

    private static final int CHART_WIDTH = 380;
    private static final int CHART_HEIGHT = 110;
    /** Room left of each chart for its axis labels. */
    private static final int LEFT_X = 70;
    private static final int RIGHT_X = LEFT_X + CHART_WIDTH + 100;
    private static final int WIDTH = RIGHT_X + CHART_WIDTH + 30;
    /** The title's height; each run's: its label, its charts, their time axes. */
    private static final int TOP = 52;
    private static final int ROW = CHART_HEIGHT + 60;
    private static final String RATE = "#2b6cb0";
    private static final String P50 = "#2f855a";
    private static final String P99 = "#dd6b20";
    private static final String MAX = "#718096";
    private static final String SILENCE = "#e53e3e";

    private record Run(String label, Figures.Timeline timeline) {
    }

    private SvgPlots() {
    }

    /** The image, or null if no run of the report has a timeline. */
    static String render(Report report) {
        List<Run> runs = runs(report);
        if (runs.isEmpty()) {
            return null;
        }
        int height = TOP + ROW * runs.size() + 10;
        var svg = new StringBuilder();
        svg.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, height, WIDTH, height));
        svg.append(f("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        text(svg, 10, 18, "start", "bold", "order-stock benchmark, " + report.startedAt()
                + (report.machine() == null ? "" : "; " + report.machine().describe()));
        legend(svg, 10, 38);
        for (int i = 0; i < runs.size(); i++) {
            row(svg, runs.get(i), TOP + i * ROW);
        }
        return svg.append("</svg>\n").toString();
    }

    private static List<Run> runs(Report report) {
        List<Run> runs = new ArrayList<>();
        for (Figures.Http run : report.http()) {
            runs.add(new Run("POST /orders with wrk, %d client%s".formatted(run.connections(),
                    run.connections() == 1 ? "" : "s"), run.timeline()));
        }
        for (Figures.EndToEnd run : report.endToEnd()) {
            runs.add(new Run("end to end, %,d orders over %d product%s".formatted(run.orders(), run.products(),
                    run.products() == 1 ? "" : "s"), run.timeline()));
        }
        Figures.OldOrderIds old = report.oldOrderIds();
        if (old != null) {
            runs.add(new Run("old order ids: every answer (%,d repeats from %d clients, fresh orders from %d)"
                    .formatted(old.repeats(), old.repeatClients(), old.freshClients()), old.timeline()));
            runs.add(new Run("old order ids: the fresh orders' answers alone", old.freshTimeline()));
        }
        runs.removeIf(run -> run.timeline() == null || run.timeline().answersPerSecond().isEmpty());
        return runs;
    }

    private static void legend(StringBuilder svg, int x, int y) {
        String[][] items = {{RATE, "answers/s"}, {P50, "p50"}, {P99, "p99"}, {MAX, "max (latency of the answers "
                + "in that second, log scale)"}, {SILENCE, "longest window without any answer"}};
        int at = x;
        for (String[] item : items) {
            svg.append(f("<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"4\" fill=\"%s\"/>%n", at, y - 4, item[0]));
            text(svg, at + 18, y, "start", null, item[1]);
            at += 26 + item[1].length() * 6;
        }
    }

    private static void row(StringBuilder svg, Run run, int top) {
        Figures.Timeline timeline = run.timeline();
        text(svg, 10, top + 14, "start", "bold", run.label());
        text(svg, WIDTH - 10, top + 14, "end", null, "longest without any answer: %s from %.1f s; %,d answers"
                .formatted(TableRenderer.millis(timeline.longestSilenceMs()), timeline.longestSilenceFromSeconds(),
                        timeline.answers()));
        int chartTop = top + 30;
        int seconds = timeline.answersPerSecond().size();
        double rateMax = niceCeiling(timeline.answersPerSecond().stream().filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue).max().orElse(1));
        axes(svg, LEFT_X, chartTop, seconds, "answers/s");
        yTick(svg, LEFT_X, chartTop + CHART_HEIGHT, "0");
        yTick(svg, LEFT_X, chartTop + CHART_HEIGHT / 2, "%,.0f".formatted(rateMax / 2));
        yTick(svg, LEFT_X, chartTop, "%,.0f".formatted(rateMax));
        silence(svg, LEFT_X, chartTop, seconds, timeline);
        line(svg, LEFT_X, chartTop, seconds, timeline.answersPerSecond(), v -> v / rateMax, RATE, 1.6);

        List<Double> all = new ArrayList<>(timeline.p50Ms());
        all.addAll(timeline.maxMs());
        double low = all.stream().filter(v -> v != null && v > 0).mapToDouble(Double::doubleValue).min().orElse(1);
        double high = all.stream().filter(v -> v != null && v > 0).mapToDouble(Double::doubleValue).max().orElse(10);
        double fromDecade = Math.floor(Math.log10(low));
        double toDecade = Math.max(fromDecade + 1, Math.ceil(Math.log10(high)));
        axes(svg, RIGHT_X, chartTop, seconds, "latency");
        for (double decade = fromDecade; decade <= toDecade; decade++) {
            int y = chartTop + CHART_HEIGHT - (int) Math.round((decade - fromDecade) / (toDecade - fromDecade)
                    * CHART_HEIGHT);
            svg.append(f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#e2e8f0\"/>%n", RIGHT_X, y,
                    RIGHT_X + CHART_WIDTH, y));
            yTick(svg, RIGHT_X, y, decadeLabel(decade));
        }
        silence(svg, RIGHT_X, chartTop, seconds, timeline);
        java.util.function.DoubleUnaryOperator logScale = v -> (Math.log10(Math.max(v, Math.pow(10, fromDecade)))
                - fromDecade) / (toDecade - fromDecade);
        line(svg, RIGHT_X, chartTop, seconds, timeline.maxMs(), logScale, MAX, 1);
        line(svg, RIGHT_X, chartTop, seconds, timeline.p99Ms(), logScale, P99, 1.6);
        line(svg, RIGHT_X, chartTop, seconds, timeline.p50Ms(), logScale, P50, 1.6);
    }

    /** The chart's frame, its title and the seconds along the bottom. */
    private static void axes(StringBuilder svg, int x, int top, int seconds, String title) {
        svg.append(f("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#a0aec0\"/>%n", x,
                top, CHART_WIDTH, CHART_HEIGHT));
        text(svg, x, top - 4, "start", null, title);
        int step = niceStep(seconds);
        for (int s = 0; s <= seconds; s += step) {
            int tickX = x + (int) Math.round((double) s / seconds * CHART_WIDTH);
            svg.append(f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#a0aec0\"/>%n", tickX,
                    top + CHART_HEIGHT, tickX, top + CHART_HEIGHT + 3));
            text(svg, tickX, top + CHART_HEIGHT + 14, "middle", null, s + " s");
        }
    }

    private static void yTick(StringBuilder svg, int x, int y, String label) {
        text(svg, x - 4, y + 4, "end", null, label);
    }

    private static void silence(StringBuilder svg, int x, int top, int seconds, Figures.Timeline timeline) {
        double from = timeline.longestSilenceFromSeconds() / seconds * CHART_WIDTH;
        double width = Math.max(1.5, timeline.longestSilenceMs() / 1000 / seconds * CHART_WIDTH);
        svg.append(f("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" fill-opacity=\"0.3\"/>%n",
                x + Math.min(from, CHART_WIDTH - width), top, width, CHART_HEIGHT, SILENCE));
    }

    /** A value per second, at the middle of its second; a gap (null) breaks the line, a lone point is a dot. */
    private static void line(StringBuilder svg, int x, int top, int seconds, List<Double> values,
                             java.util.function.DoubleUnaryOperator scale, String colour, double width) {
        List<String> segment = new ArrayList<>();
        for (int s = 0; s <= values.size(); s++) {
            Double value = s < values.size() ? values.get(s) : null;
            if (value != null) {
                double share = Math.min(1, Math.max(0, scale.applyAsDouble(value)));
                segment.add(f("%.1f,%.1f", x + (s + 0.5) / seconds * CHART_WIDTH, top + CHART_HEIGHT
                        - share * CHART_HEIGHT));
                continue;
            }
            if (segment.size() == 1) {
                String[] point = segment.get(0).split(",");
                svg.append(f("<circle cx=\"%s\" cy=\"%s\" r=\"1.8\" fill=\"%s\"/>%n", point[0], point[1], colour));
            } else if (segment.size() > 1) {
                svg.append(f("<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"/>%n",
                        String.join(" ", segment), colour, width));
            }
            segment.clear();
        }
    }

    private static void text(StringBuilder svg, double x, double y, String anchor, String weight, String text) {
        svg.append(f("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>%s</text>%n", x, y, anchor,
                weight == null ? "" : " font-weight=\"" + weight + "\"", escape(text)));
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String decadeLabel(double decade) {
        double ms = Math.pow(10, decade);
        return ms >= 1000 ? "%.0f s".formatted(ms / 1000) : ms >= 1 ? "%.0f ms".formatted(ms)
                : "%s ms".formatted(ms >= 0.1 ? "0.1" : ms >= 0.01 ? "0.01" : "0.001");
    }

    /** 1, 2 or 5 times a power of ten, at or above the value. */
    static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double factor : new double[] {1, 2, 5, 10}) {
            if (factor * power >= value) {
                return factor * power;
            }
        }
        return 10 * power;
    }

    /** Seconds between the ticks of the time axis: at most about ten ticks. */
    static int niceStep(int seconds) {
        for (int step : new int[] {1, 2, 5, 10, 15, 30, 60, 120, 300, 600}) {
            if (seconds / step <= 10) {
                return step;
            }
        }
        return 1200;
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
