package io.github.orderstock.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RestartBackOffTest {

    private final Supervisor.RestartBackOff backOff = new Supervisor.RestartBackOff(Duration.ofSeconds(1),
            Duration.ofSeconds(30), Duration.ofSeconds(60));
    private final Instant upSince = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void doublesFromOneSecondUpToThirtyWhileAPartKeepsDying() {
        List<Long> pauses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            pauses.add(backOff.next().toSeconds());
        }

        assertThat(pauses).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            up a minute after 3 restarts: starts again from one second, 3, 60, true,  1
            dead within a minute after 2 restarts: keeps doubling,      2, 59, false, 4
            """)
    void startsAgainFromOneSecondOnlyOnceThePartStayedUpAMinute(String name, int restarts, int secondsUp,
                                                                boolean stayedUp, int nextPause) {
        for (int i = 0; i < restarts; i++) {
            backOff.next();
        }

        assertThat(backOff.stayedUp(upSince, upSince.plusSeconds(secondsUp))).isEqualTo(stayedUp);

        assertThat(backOff.next()).isEqualTo(Duration.ofSeconds(nextPause));
    }

    @Test
    void namesWhatEndedAPart() {
        assertThat(Supervisor.exitDescription(137)).contains("SIGKILL", "OOM killer");
        assertThat(Supervisor.exitDescription(3)).contains("out of memory");
        assertThat(Supervisor.exitDescription(MongoStandIn.CANNOT_WRITE)).contains("disk full");
        assertThat(Supervisor.exitDescription(143)).isEqualTo("exit code 143: ended by signal 15");
        assertThat(Supervisor.exitDescription(1)).isEqualTo("exit code 1");
    }

    @Test
    void saysWhereToLookWhenAPartKeepsDying() {
        assertThat(Supervisor.keepsDyingHint(Path.of("/srv/stack/data/logs/kafka.log")))
                .contains("the end of /srv/stack/data/logs/kafka.log says why")
                .contains("df -h /srv/stack/data shows the space left")
                .contains("comes back on its own");
    }
}
