package io.github.orderstock.query.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ProjectionLagTest {

    private static final TopicPartition P0 = new TopicPartition("shop-events", 0);
    private static final TopicPartition P1 = new TopicPartition("shop-events", 1);
    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

    private final ProjectionLag lag = new ProjectionLag(Duration.ofMinutes(10), 1_000);

    @Test
    void showsNoLagWhenCaughtUp() {
        List<ProjectionLag.PartitionLag> lags = lag.update(T0, Map.of(P0, 10L, P1, 0L), Map.of(P0, 10L));

        assertThat(lags).containsExactly(new ProjectionLag.PartitionLag(0, 10, 10, 0, 0),
                new ProjectionLag.PartitionLag(1, 0, 0, 0, 0));
    }

    @Test
    void countsRecordsBehindPerPartitionFromTheNextOffsetToTake() {
        List<ProjectionLag.PartitionLag> lags = lag.update(T0, Map.of(P0, 10L, P1, 7L), Map.of(P0, 4L));

        assertThat(lags).extracting(ProjectionLag.PartitionLag::records).containsExactly(6L, 7L);
    }

    @Test
    void countsSecondsFromWhenTheOldestRecordNotTakenWasFirstOnTheTopic() {
        lag.update(T0, Map.of(P0, 10L), Map.of(P0, 10L));
        // Five records arrive; the projection has not taken them yet, but they are new.
        assertThat(lag.update(T0.plusSeconds(1), Map.of(P0, 15L), Map.of(P0, 10L)).get(0).seconds()).isZero();
        // Two seconds later it took two of them; the oldest left (offset 12) is on the topic since T0 + 1 s.
        ProjectionLag.PartitionLag later = lag.update(T0.plusSeconds(3), Map.of(P0, 20L), Map.of(P0, 12L)).get(0);
        assertThat(later.records()).isEqualTo(8);
        assertThat(later.seconds()).isEqualTo(2.0);
        // Then it took all of the first five: the oldest left (offset 16) came with the sample at T0 + 3 s.
        assertThat(lag.update(T0.plusSeconds(4), Map.of(P0, 20L), Map.of(P0, 16L)).get(0).seconds()).isEqualTo(1.0);
    }

    @Test
    void showsASteadyStreamThatIsKeptUpWithAsNoOlderThanOneSample() {
        long end = 0;
        ProjectionLag.PartitionLag last = null;
        for (int second = 0; second < 60; second++) {
            long taken = end;
            end += 100;
            last = lag.update(T0.plusSeconds(second), Map.of(P0, end), Map.of(P0, taken)).get(0);
        }
        assertThat(last.records()).isEqualTo(100);
        assertThat(last.seconds()).isZero();
    }

    @Test
    void showsALagOlderThanItsMemoryAsAtLeastItsMemory() {
        var shortMemory = new ProjectionLag(Duration.ofSeconds(5), 1_000);
        for (int second = 0; second <= 20; second++) {
            shortMemory.update(T0.plusSeconds(second), Map.of(P0, 100L + second), Map.of(P0, 0L));
        }
        ProjectionLag.PartitionLag lagged = shortMemory.update(T0.plusSeconds(21), Map.of(P0, 121L), Map.of(P0, 0L))
                .get(0);
        assertThat(lagged.records()).isEqualTo(121);
        assertThat(lagged.seconds()).isBetween(5.0, 6.0);
    }
}
