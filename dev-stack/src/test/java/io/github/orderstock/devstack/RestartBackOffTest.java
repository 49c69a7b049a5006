package io.github.orderstock.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

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

    @Test
    void startsAgainFromOneSecondOnceThePartStayedUpAMinute() {
        backOff.next();
        backOff.next();
        backOff.next();

        assertThat(backOff.stayedUp(upSince, upSince.plusSeconds(60))).isTrue();

        assertThat(backOff.next()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void keepsDoublingWhenThePartDiesWithinAMinuteOfItsRestart() {
        backOff.next();
        backOff.next();

        assertThat(backOff.stayedUp(upSince, upSince.plusSeconds(59))).isFalse();

        assertThat(backOff.next()).isEqualTo(Duration.ofSeconds(4));
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
