package io.github.orderstock.query.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import com.mongodb.client.MongoDatabase;
import io.github.orderstock.query.stock.ReadModel;
import io.github.orderstock.support.testing.InMemoryMongo;
import org.apache.kafka.common.TopicPartition;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.extensions.kafka.KafkaProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The replay's status is read from MongoDB: a restarted query side (a new instance) tells the same. */
class ReplaysTest {

    private static final Instant STARTED_AT = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant SWITCHED_AT = Instant.parse("2026-12-01T10:00:42Z");

    @RegisterExtension
    final InMemoryMongo mongo = InMemoryMongo.forEachTest();
    private MongoDatabase database;

    @BeforeEach
    void setUp() {
        database = mongo.database("shop_read");
    }

    @Test
    void saysIdleBeforeAnyReplay() {
        assertThat(replays(Clock.systemUTC()).status()).isEqualTo(ReplayStatus.IDLE);
    }

    @Test
    void aRunningReplayIsToldByAQuerySideStartedAfterACrashAndRefusesASecondOne() {
        ReadModel.open(database, Clock.systemUTC()).startRebuild(STARTED_AT,
                Map.of(new TopicPartition("shop-events", 0), 40L, new TopicPartition("shop-events", 1), 2L));

        Replays afterRestart = replays(Clock.systemUTC());

        assertThat(afterRestart.status()).isEqualTo(new ReplayStatus(ReplayStatus.State.RUNNING, STARTED_AT, null,
                42, 0));
        assertThatThrownBy(afterRestart::start).isInstanceOf(ReplayAlreadyRunningException.class);
    }

    @Test
    void aCompletedReplayKeepsTheMomentOfItsSwitchAcrossRestarts() {
        ReadModel.open(database, Clock.fixed(STARTED_AT, ZoneOffset.UTC)).startRebuild(STARTED_AT,
                Map.of(new TopicPartition("shop-events", 0), 0L));
        ReadModel.open(database, Clock.fixed(SWITCHED_AT, ZoneOffset.UTC)).switchToRebuilt();

        Replays afterRestart = replays(Clock.fixed(SWITCHED_AT.plusSeconds(600), ZoneOffset.UTC));

        assertThat(afterRestart.status()).isEqualTo(new ReplayStatus(ReplayStatus.State.COMPLETED, STARTED_AT,
                SWITCHED_AT, 0, 0));
    }

    /** A query side as after a start: the read model opened from MongoDB, no processor running here. */
    private Replays replays(Clock clock) {
        return new Replays(mock(EventProcessingConfiguration.class), ReadModel.open(database, clock),
                new KafkaProperties(), clock);
    }
}
