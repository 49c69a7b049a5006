package io.github.orderstock.benchmark.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.orderstock.benchmark.report.Figures;
import org.junit.jupiter.api.Test;

class WrkAnswersTest {

    @Test
    void readsTheAnswersTheScriptWroteIntoATimelineFromTheFirstRequestUntilWrkStopped() {
        String recorded = """
                start 1000.000 duration 2000000
                1004.500 4.500
                1010.250 -1.000
                2600.000 3.000
                1008.000 8.000
                """;

        Figures.Timeline timeline = WrkAnswers.timeline(recorded);

        assertThat(timeline.answers()).isEqualTo(4);
        assertThat(timeline.answersPerSecond()).containsExactly(3.0, 1.0);
        assertThat(timeline.p50Ms()).containsExactly(4.5, 3.0);
        assertThat(timeline.maxMs()).containsExactly(8.0, 3.0);
        assertThat(timeline.longestSilenceMs()).isEqualTo(1_589.75);
        assertThat(timeline.longestSilenceFromSeconds()).isEqualTo(0.01025);
    }

    @Test
    void anAnswerAfterStartPlusDurationExtendsTheRunRatherThanBeingLost() {
        Figures.Timeline timeline = WrkAnswers.timeline("start 1000 duration 1000000\n1500 2\n2050 3\n");

        assertThat(timeline.answers()).isEqualTo(2);
        assertThat(timeline.answersPerSecond()).hasSize(1);
        assertThat(timeline.longestSilenceMs()).isEqualTo(550);
    }

    @Test
    void aFileWithoutItsHeaderOrWithABrokenLineIsRefused() {
        assertThatThrownBy(() -> WrkAnswers.timeline("1004.5 4.5\n")).hasMessageContaining("does not begin");
        assertThatThrownBy(() -> WrkAnswers.timeline("start 1000 duration 10\n1004.5\n"))
                .hasMessageContaining("line 2");
    }
}
