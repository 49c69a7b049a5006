package io.github.orderstock.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void defaultsAreTheFullRunOnAStackOfItsOwn() {
        BenchOptions options = BenchOptions.parse(List.of(), Map.of());

        assertThat(options.mongoBackend()).isEqualTo("h2");
        assertThat(options.phases()).isEqualTo(EnumSet.allOf(Phase.class));
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(20));
        assertThat(options.endToEndOrders()).containsExactly(10_000, 100_000);
        assertThat(options.replayEvents()).as("the stand-in applies 1,100 to 5,500 events/s").isEqualTo(200_000);
        assertThat(options.oldIdRepeats()).isEqualTo(10_000);
        assertThat(options.targetsRunningStack()).isFalse();
        assertThat(options.out()).isNull();
        assertThat(options.kafkaTopic()).isEqualTo("shop-events");
    }

    @Test
    void quickShrinksTheDefaultsButAnExplicitSizeWins() {
        BenchOptions quick = BenchOptions.parse(List.of("--quick"), Map.of());
        BenchOptions mixed = BenchOptions.parse(List.of("--quick", "--replay-events=1_000_000", "--duration", "7s"),
                Map.of());

        assertThat(quick.duration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(quick.endToEndOrders()).containsExactly(1_000, 5_000);
        assertThat(quick.replayEvents()).isEqualTo(20_000);
        assertThat(quick.oldIdRepeats()).isEqualTo(1_000);
        assertThat(parse("--quick", "--old-id-repeats", "300").oldIdRepeats()).isEqualTo(300);
        assertThat(mixed.replayEvents()).isEqualTo(1_000_000);
        assertThat(mixed.duration()).isEqualTo(Duration.ofSeconds(7));
        assertThat(mixed.endToEndOrders()).containsExactly(1_000, 5_000);
    }

    @Test
    void targetsARunningStackWithItsPassword() {
        BenchOptions options = BenchOptions.parse(List.of("--command-url", "http://localhost:3000",
                "--query-url", "http://localhost:3001", "--only", "http,e2e", "--mongo-backend", "MEMORY",
                "--out", "x.json"), Map.of("ADMIN_PASSWORD", "secret"));

        assertThat(options.targetsRunningStack()).isTrue();
        assertThat(options.replayEvents()).isEqualTo(1_000_000);
        assertThat(options.adminPassword()).isEqualTo("secret");
        assertThat(options.phases()).containsExactlyInAnyOrder(Phase.HTTP, Phase.E2E);
        assertThat(options.mongoBackend()).isEqualTo("memory");
        assertThat(options.backendGiven()).isTrue();
        assertThat(options.out()).isEqualTo(Path.of("x.json"));
    }

    @Test
    void theOldIdsPhaseIsNamedWithAHyphenAndRunsBeforeTheReplay() {
        BenchOptions options = parse("--only", "old-ids,e2e");

        assertThat(options.phases()).containsExactly(Phase.E2E, Phase.OLD_IDS);
        assertThat(Phase.OLD_IDS.optionName()).isEqualTo("old-ids");
        assertThat(Phase.OLD_IDS.ordinal()).isLessThan(Phase.REPLAY.ordinal());
        assertThatThrownBy(() -> parse("--old-id-repeats", "0")).hasMessageContaining("--old-id-repeats must be");
    }

    @Test
    void badArgumentsSayWhatIsWrong() {
        assertThatThrownBy(() -> parse("--mongo-backend", "rocks")).hasMessageContaining("h2 or memory");
        assertThatThrownBy(() -> parse("--only", "http,warp")).hasMessageContaining("'warp' is not a phase");
        assertThatThrownBy(() -> parse("--duration", "0")).hasMessageContaining("--duration must be");
        assertThatThrownBy(() -> parse("--replay-events", "lots")).hasMessageContaining("not 'lots'");
        assertThatThrownBy(() -> parse("--command-url", "http://x")).hasMessageContaining("--query-url");
        assertThatThrownBy(() -> parse("--frobnicate")).hasMessageContaining("Unknown option '--frobnicate'");
        assertThatThrownBy(() -> parse("--out")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> parse("--quick=yes")).hasMessageContaining("takes no value");
    }

    @Test
    void theHelpNamesEveryOption() {
        assertThat(BenchOptions.usage()).contains("--mongo-backend h2|memory", "--only PHASES", "--quick",
                "--duration", "--old-id-repeats N", "--replay-events", "--out FILE", "--command-url", "--query-url",
                "--admin-password",
                "--kafka HOST:PORT", "--keep-data");
    }

    private static BenchOptions parse(String... args) {
        return BenchOptions.parse(List.of(args), Map.of());
    }
}
