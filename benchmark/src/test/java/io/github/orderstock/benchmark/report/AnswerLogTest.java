package io.github.orderstock.benchmark.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AnswerLogTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;

    @Test
    void theLongestSilenceIsTheWidestGapBetweenTwoAnswersOrAnEndOfTheRun() {
        var log = new AnswerLog();
        long start = 5 * S;
        for (long at : new long[] {120, 300, 2_300, 2_350, 2_900}) {
            log.record(start + at * MS, 10 * MS);
        }

        Figures.Timeline timeline = log.timeline(start, start + 3 * S);

        assertThat(timeline.longestSilenceMs()).isEqualTo(2_000);
        assertThat(timeline.longestSilenceFromSeconds()).isEqualTo(0.3);
        assertThat(timeline.answers()).isEqualTo(5);
    }

    @Test
    void aRunWhoseAnswersStopEarlyIsSilentUntilItsEnd() {
        var log = new AnswerLog();
        log.record(100 * MS, 5 * MS);
        log.record(200 * MS, 5 * MS);

        Figures.Timeline timeline = log.timeline(0, 4 * S);

        assertThat(timeline.longestSilenceMs()).isEqualTo(3_800);
        assertThat(timeline.longestSilenceFromSeconds()).isEqualTo(0.2);
    }

    @Test
    void aRunWithoutAnyAnswerIsSilentThroughout() {
        Figures.Timeline timeline = new AnswerLog().timeline(0, 2 * S);

        assertThat(timeline.longestSilenceMs()).isEqualTo(2_000);
        assertThat(timeline.answersPerSecond()).containsExactly(0.0, 0.0);
        assertThat(timeline.p50Ms()).containsExactly(null, null);
    }

    @Test
    void eachSecondHasItsRateAndTheLatencyPercentilesOfItsAnswers() {
        var log = new AnswerLog();
        for (int i = 1; i <= 100; i++) {
            log.record(i * 9 * MS, i * MS);             // second 0: 100 answers, latencies 1..100 ms
        }
        log.record(S + 500 * MS, AnswerLog.UNKNOWN);     // second 1: one answer without a known latency
        log.record(2 * S + 100 * MS, 7 * MS);            // the last second is 0.25 s long: rate 1 / 0.25
        log.record(10 * S, MS);                          // after the end: left out

        Figures.Timeline timeline = log.timeline(0, 2 * S + 250 * MS);

        assertThat(timeline.answers()).isEqualTo(102);
        assertThat(timeline.answersPerSecond()).containsExactly(100.0, 1.0, 4.0);
        assertThat(timeline.p50Ms()).containsExactly(50.0, null, 7.0);
        assertThat(timeline.p99Ms()).containsExactly(99.0, null, 7.0);
        assertThat(timeline.maxMs()).containsExactly(100.0, null, 7.0);
    }

    @Test
    void aLastSecondShorterThanATenthIsLeftOut() {
        var log = new AnswerLog();
        log.record(500 * MS, MS);
        log.record(S + 50 * MS, MS);

        assertThat(log.timeline(0, S + 60 * MS).answersPerSecond()).containsExactly(1.0);
        assertThat(log.timeline(0, S + 60 * MS).answers()).isEqualTo(2);
    }

    @Test
    void aRunThatEndsBeforeItStartsIsRefused() {
        assertThatThrownBy(() -> new AnswerLog().timeline(10, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void threadsRecordingTogetherLoseNoAnswer() throws Exception {
        var log = new AnswerLog();
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 5_000; i++) {
                    log.record(i * MS / 10, MS);
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(log.size()).isEqualTo(40_000);
        assertThat(log.timeline(0, S).answers()).isEqualTo(40_000);
    }
}
