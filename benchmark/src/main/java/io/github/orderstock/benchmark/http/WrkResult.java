package io.github.orderstock.benchmark.http;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one wrk run printed with {@code --latency}, read from its text output.
 *
 * @param seconds the run's actual duration ("N requests in 20.01s")
 */
public record WrkResult(long requests, double seconds, double requestsPerSecond, double p50Ms, double p99Ms,
                        double maxMs, long non2xx, long connectErrors, long readErrors, long writeErrors,
                        long timeouts) {

    private static final String NUMBER_UNIT = "([0-9]+(?:\\.[0-9]+)?)\\s*(us|ms|s|m|h)";
    private static final Pattern LATENCY = Pattern.compile(
            "^\\s*Latency\\s+" + NUMBER_UNIT + "\\s+" + NUMBER_UNIT + "\\s+" + NUMBER_UNIT, Pattern.MULTILINE);
    private static final Pattern P50 = Pattern.compile("^\\s*50(?:\\.0+)?%\\s+" + NUMBER_UNIT, Pattern.MULTILINE);
    private static final Pattern P99 = Pattern.compile("^\\s*99(?:\\.0+)?%\\s+" + NUMBER_UNIT, Pattern.MULTILINE);
    private static final Pattern REQUESTS = Pattern.compile(
            "^\\s*([0-9]+) requests in " + NUMBER_UNIT, Pattern.MULTILINE);
    private static final Pattern RATE = Pattern.compile("^Requests/sec:\\s+([0-9]+(?:\\.[0-9]+)?)", Pattern.MULTILINE);
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: ([0-9]+)");

    /**
     * Reads wrk's summary.
     *
     * @throws IllegalArgumentException naming the line that is missing, with the output
     */
    public static WrkResult parse(String output) {
        Matcher latency = require(LATENCY, output, "the 'Latency avg stdev max' line");
        Matcher requests = require(REQUESTS, output, "the 'N requests in T' line");
        Matcher p50 = require(P50, output, "the 50% line of the latency distribution (was --latency given?)");
        Matcher p99 = require(P99, output, "the 99% line of the latency distribution (was --latency given?)");
        Matcher rate = require(RATE, output, "the 'Requests/sec:' line");
        Matcher socket = SOCKET_ERRORS.matcher(output);
        boolean socketErrors = socket.find();
        Matcher non2xx = NON_2XX.matcher(output);
        boolean anyNon2xx = non2xx.find();
        return new WrkResult(
                Long.parseLong(requests.group(1)),
                millis(requests.group(2), requests.group(3)) / 1000.0,
                Double.parseDouble(rate.group(1)),
                millis(p50.group(1), p50.group(2)),
                millis(p99.group(1), p99.group(2)),
                millis(latency.group(5), latency.group(6)),
                anyNon2xx ? Long.parseLong(non2xx.group(1)) : 0,
                socketErrors ? Long.parseLong(socket.group(1)) : 0,
                socketErrors ? Long.parseLong(socket.group(2)) : 0,
                socketErrors ? Long.parseLong(socket.group(3)) : 0,
                socketErrors ? Long.parseLong(socket.group(4)) : 0);
    }

    /** Answers wrk counted as 2xx or 3xx. */
    public long accepted() {
        return requests - non2xx;
    }

    static double millis(String number, String unit) {
        double value = Double.parseDouble(number);
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "us" -> value / 1000.0;
            case "ms" -> value;
            case "s" -> value * 1000.0;
            case "m" -> value * 60_000.0;
            case "h" -> value * 3_600_000.0;
            default -> throw new IllegalArgumentException("unknown time unit " + unit);
        };
    }

    private static Matcher require(Pattern pattern, String output, String what) {
        Matcher matcher = pattern.matcher(output);
        if (!matcher.find()) {
            throw new IllegalArgumentException("wrk's output has no " + what + ". It printed:\n" + output.strip());
        }
        return matcher;
    }
}
