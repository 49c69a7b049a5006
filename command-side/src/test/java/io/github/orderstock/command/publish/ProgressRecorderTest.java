package io.github.orderstock.command.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.spy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.mongodb.MongoTimeoutException;
import io.github.orderstock.support.testing.InMemoryMongo;
import io.github.orderstock.support.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** When acknowledged positions reach {@link PublicationProgress} (MongoDB stand-in, memory backend). */
class ProgressRecorderTest {

    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

    @RegisterExtension
    final InMemoryMongo mongo = InMemoryMongo.forEachTest();
    private final PublicationProgress progress = spy(new PublicationProgress(
            mongo.database("shop_write").getCollection(PublicationProgress.COLLECTION)));
    private final TestClock clock = new TestClock(T0);
    private final ProgressRecorder recorder = new ProgressRecorder(progress, Duration.ofSeconds(1), clock);

    @Test
    void recordsTheEndOfEachAcknowledgedRun() {
        recorder.acknowledged(List.of(acknowledged("p", 0, 3), acknowledged("q", 5, 0)));

        recorder.recordIfDue();

        assertThat(progress.all()).isEqualTo(Map.of("p", 2L));
    }

    @Test
    void writesAtMostOncePerPeriodUnlessToldToNow() {
        recorder.acknowledged(List.of(acknowledged("p", 0, 1)));
        recorder.recordIfDue();
        recorder.acknowledged(List.of(acknowledged("p", 1, 1)));

        recorder.recordIfDue();
        assertThat(progress.all()).containsEntry("p", 0L);

        recorder.recordNow();
        assertThat(progress.all()).containsEntry("p", 1L);
    }

    @Test
    void writesAgainOnceThePeriodPassed() {
        recorder.acknowledged(List.of(acknowledged("p", 0, 1)));
        recorder.recordIfDue();
        recorder.acknowledged(List.of(acknowledged("p", 1, 1)));

        clock.set(T0.plusSeconds(2));
        recorder.recordIfDue();

        assertThat(progress.all()).containsEntry("p", 1L);
    }

    @Test
    void keepsPositionsAWriteFailedToRecordForTheNext() {
        doThrow(new MongoTimeoutException("down")).doCallRealMethod().when(progress).advance(anyMap());
        recorder.acknowledged(List.of(acknowledged("p", 0, 4)));

        recorder.recordNow();
        assertThat(progress.all()).isEmpty();

        recorder.recordNow();
        assertThat(progress.all()).isEqualTo(Map.of("p", 3L));
    }

    private static StreamBatch acknowledged(String productId, long from, int count) {
        StreamBatch batch = StreamBatch.inMemory(productId, from, UnpublishedEventsTest.events(productId, from, count));
        batch.acknowledged = count;
        return batch;
    }
}
