package io.github.orderstock.benchmark.http;

import java.util.Locale;

import io.github.orderstock.benchmark.report.AnswerLog;
import io.github.orderstock.benchmark.report.Figures;

/**
 * Reads the answers {@link WrkScript}'s script wrote during one wrk run: a line {@code start <ms> duration <µs>},
 * then one line {@code <answered at ms> <latency ms, or -1>} per answer, on the monotonic clock.
 */
final class WrkAnswers {

    private WrkAnswers() {
    }

    /**
     * The run's timeline: from its first request until wrk stopped ({@code start + duration}).
     *
     * @throws IllegalArgumentException naming the line that cannot be read
     */
    static Figures.Timeline timeline(String recorded) {
        String[] lines = recorded.split("\n");
        String[] header = lines[0].trim().split(" ");
        if (header.length != 4 || !header[0].equals("start") || !header[2].equals("duration")) {
            throw new IllegalArgumentException("the answers file does not begin with 'start <ms> duration <µs>': "
                    + lines[0]);
        }
        long start = nanos(header[1]);
        long end = start + Long.parseLong(header[3]) * 1_000L;
        var log = new AnswerLog();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty()) {
                continue;
            }
            int space = line.indexOf(' ');
            if (space < 0) {
                throw new IllegalArgumentException("line %d of the answers file is not '<ms> <ms>': %s"
                        .formatted(i + 1, line));
            }
            double latency = Double.parseDouble(line.substring(space + 1));
            log.record(nanos(line.substring(0, space)), latency < 0 ? AnswerLog.UNKNOWN : Math.round(latency * 1e6));
        }
        return log.timeline(start, end);
    }

    private static long nanos(String millis) {
        return Math.round(Double.parseDouble(millis.toLowerCase(Locale.ROOT)) * 1e6);
    }
}
