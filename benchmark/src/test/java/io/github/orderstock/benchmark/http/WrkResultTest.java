package io.github.orderstock.benchmark.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WrkResultTest {

    /** wrk 4.1.0's output for a run with errors, the latency distribution and every time unit it uses. */
    static final String WITH_ERRORS = """
            Running 20s test @ http://127.0.0.1:3000/orders
              2 threads and 64 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency    14.02ms   11.87ms   1.20s    91.40%
                Req/Sec     2.41k   312.55     3.10k    71.25%
              Latency Distribution
                 50%  850.00us
                 75%   16.01ms
                 90%   25.77ms
                 99%    1.05s
              96213 requests in 20.02s, 24.59MB read
              Socket errors: connect 1, read 2, write 3, timeout 4
              Non-2xx or 3xx responses: 17
            Requests/sec:   4805.84
            Transfer/sec:      1.23MB
            """;

    static final String CLEAN = """
            Running 5s test @ http://127.0.0.1:3000/orders
              1 threads and 1 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     1.21ms  210.11us   9.87ms   93.00%
                Req/Sec   810.22     40.10   900.00     70.00%
              Latency Distribution
                 50%    1.17ms
                 75%    1.30ms
                 90%    1.41ms
                 99%    2.02ms
              4032 requests in 5.00s, 1.03MB read
            Requests/sec:    806.40
            Transfer/sec:    210.91KB
            """;

    @Test
    void readsEveryFigureOfARunWithErrors() {
        WrkResult result = WrkResult.parse(WITH_ERRORS);

        assertReads(result, new WrkResult(96_213, 20.02, 4805.84, 0.85, 1050, 1200, 17, 1, 2, 3, 4));
        assertThat(result.accepted()).isEqualTo(96_213 - 17);
    }

    @Test
    void aCleanRunHasNoErrorLines() {
        assertReads(WrkResult.parse(CLEAN), new WrkResult(4032, 5.00, 806.40, 1.17, 2.02, 9.87, 0, 0, 0, 0, 0));
    }

    @Test
    void minutesAndHoursAreMilliseconds() {
        assertThat(WrkResult.millis("1.50", "m")).isEqualTo(90_000);
        assertThat(WrkResult.millis("2", "h")).isEqualTo(7_200_000);
        assertThat(WrkResult.millis("250", "us")).isEqualTo(0.25);
    }

    @Test
    void outputWithoutTheLatencyDistributionSaysWhatIsMissing() {
        String withoutDistribution = CLEAN.replaceAll("(?s)  Latency Distribution.*?99%[^\\n]*\\n", "");

        assertThatThrownBy(() -> WrkResult.parse(withoutDistribution))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("50% line")
                .hasMessageContaining("--latency")
                .hasMessageContaining("4032 requests in 5.00s");
    }

    @Test
    void anErrorMessageInsteadOfASummaryIsShown() {
        assertThatThrownBy(() -> WrkResult.parse("unable to connect to 127.0.0.1:3000 Connection refused\n"))
                .hasMessageContaining("Connection refused");
    }

    /** Every figure as expected, the decimal ones to within rounding. */
    private static void assertReads(WrkResult result, WrkResult expected) {
        assertThat(result).usingRecursiveComparison()
                .withEqualsForType((a, b) -> Math.abs(a - b) <= 1e-9, Double.class)
                .isEqualTo(expected);
    }
}
