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
     * The run's timeline: from its first request until wrk stopped, {@code start + duration}, or the last answer if
     * that came later (wrk starts its clock after its threads, which may have sent by then).
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
        long lastAnswer = end;
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
            long answeredAt = nanos(line.substring(0, space));
            double latency = Double.parseDouble(line.substring(space + 1));
            log.record(answeredAt, latency < 0 ? AnswerLog.UNKNOWN : Math.round(latency * 1e6));
            lastAnswer = Math.max(lastAnswer, answeredAt);
        }
        return log.timeline(start, lastAnswer);
    }

    private static long nanos(String millis) {
        return Math.round(Double.parseDouble(millis.toLowerCase(Locale.ROOT)) * 1e6);
    }
}
