package io.github.orderstock.benchmark.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TargetsTest {

    @Test
    void theHttpTargetCountsOnlyAcceptedOrdersAndNeedsBothRateAndP99() {
        var fastEnough = new Figures.Http(64, 2, 10, 40_000, 4_000, 5, 50, 80, 0, 0, 0, 0, 0);
        var someRefused = new Figures.Http(64, 2, 10, 40_000, 4_000, 5, 50, 80, 1, 0, 0, 0, 0);
        var slowTail = new Figures.Http(64, 2, 10, 50_000, 5_000, 5, 50.1, 80, 0, 0, 0, 0, 0);

        assertThat(Targets.http(fastEnough)).get().extracting(Figures.TargetCheck::pass).isEqualTo(true);
        assertThat(Targets.http(someRefused)).get().extracting(Figures.TargetCheck::pass).isEqualTo(false);
        assertThat(Targets.http(slowTail)).get().extracting(Figures.TargetCheck::pass).isEqualTo(false);
        assertThat(Targets.http(new Figures.Http(16, 2, 10, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0))).isEmpty();
    }

    @Test
    void endToEndPassesOnlyWhenTheReadModelWasExact() {
        assertThat(Targets.endToEnd(new Figures.EndToEnd(10, 1, 1, 1, 3_000, 0, true, "")).pass()).isTrue();
        assertThat(Targets.endToEnd(new Figures.EndToEnd(10, 1, 1, 1, 2_999, 0, true, "")).pass()).isFalse();
        assertThat(Targets.endToEnd(new Figures.EndToEnd(10, 1, 1, 1, 9_999, 0, false, "")).pass()).isFalse();
    }

    @Test
    void replayPassesOnlyWhenTheRebuiltReadModelIsRight() {
        assertThat(Targets.replay(replay(50_000, true)).pass()).isTrue();
        assertThat(Targets.replay(replay(49_999, true)).pass()).isFalse();
        assertThat(Targets.replay(replay(90_000, false)).pass()).isFalse();
    }

    @Test
    void memoryTargetsAreForTheServicesColdStartForTheWholeStack() {
        assertThat(Targets.memory(new Figures.Memory("command-side", 1, 400, 1, 1))).get()
                .extracting(Figures.TargetCheck::pass).isEqualTo(true);
        assertThat(Targets.memory(new Figures.Memory("query-side", 1, 400.5, 1, 1))).get()
                .extracting(Figures.TargetCheck::pass).isEqualTo(false);
        assertThat(Targets.memory(new Figures.Memory("kafka", 1, 900, 1, 1))).isEmpty();
        assertThat(Targets.coldStart(new Figures.ColdStart(18, 20, 19)).pass()).isTrue();
        assertThat(Targets.coldStart(new Figures.ColdStart(18, 20.01, 19)).pass()).isFalse();
    }

    private static Figures.Replay replay(double rate, boolean verified) {
        return new Figures.Replay(1, 1, 1, 1, 1, 1, 1, 1, 1, rate, 1, verified, "");
    }
}
