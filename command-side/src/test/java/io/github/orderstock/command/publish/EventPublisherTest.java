package io.github.orderstock.command.publish;

import static io.github.orderstock.command.publish.UnpublishedEventsTest.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.longThat;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.orderstock.support.testing.InMemoryMongo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The publisher with its parts, events stored through {@link PublishingStorageEngine} into Axon's in-memory engine,
 * sent to Kafka's {@link MockProducer}, progress on the MongoDB stand-in (memory backend).
 */
class EventPublisherTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @RegisterExtension
    final InMemoryMongo mongo = InMemoryMongo.forEachTest();
    private final PublicationProgress progress = new PublicationProgress(
            mongo.database("shop_write").getCollection(PublicationProgress.COLLECTION));
    private final InMemoryEventStorageEngine storage = spy(new InMemoryEventStorageEngine());
    private MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private EventPublisher publisher;
    private PublishingStorageEngine eventStore;

    @AfterEach
    void tearDown() {
        if (publisher != null) {
            publisher.stop();
        }
    }

    @Test
    void publishesStoredEventsInStreamOrderAndRecordsHowFar() {
        start(100);

        eventStore.appendEvents(events("p", 0, 1));
        eventStore.appendEvents(events("p", 1, 2));

        await().atMost(DEADLINE).until(() -> progress.all().equals(Map.of("p", 2L)));
        assertThat(sent()).containsExactly("p/0", "p/1", "p/2");
        assertThat(publisher.unpublished()).isZero();
    }

    @Test
    void registersAStreamBeforeItsFirstEventIsStored() {
        kafkaDown();
        start(100);

        eventStore.appendEvents(events("p", 0, 2));

        assertThat(progress.all()).isEqualTo(Map.of("p", -1L));
        assertThat(publisher.unpublished()).isEqualTo(2);
    }

    @Test
    void anAcknowledgementGapStopsTheRecordedProgress() {
        producer = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
        start(100);
        eventStore.appendEvents(events("p", 0, 3));
        await().atMost(DEADLINE).until(() -> producer.history().size() == 3);

        producer.completeNext();
        producer.errorNext(new NetworkException("lost"));
        producer.completeNext();

        await().atMost(DEADLINE).until(() -> producer.history().size() == 5);
        assertThat(progress.all()).as("acknowledged after the gap, still not recorded").isEqualTo(Map.of("p", 0L));
        assertThat(sent()).containsExactly("p/0", "p/1", "p/2", "p/1", "p/2");
        producer.completeNext();
        producer.completeNext();
        await().atMost(DEADLINE).until(() -> progress.all().equals(Map.of("p", 2L)));
    }

    @Test
    void aRestartProbesEachStreamsTail() {
        storage.appendEvents(events("p", 0, 5));
        storage.appendEvents(events("q", 0, 3));
        progress.register("p");
        progress.advance(Map.of("p", 1L));
        progress.register("q");
        progress.register("r");

        start(100);

        await().atMost(DEADLINE).until(() -> progress.all().equals(Map.of("p", 4L, "q", 2L, "r", -1L)));
        assertThat(sent()).filteredOn(record -> record.startsWith("p/")).containsExactly("p/2", "p/3", "p/4");
        assertThat(sent()).filteredOn(record -> record.startsWith("q/")).containsExactly("q/0", "q/1", "q/2");
        assertThat(sent()).hasSize(6);
        verify(storage).readEvents("p", 2L);
    }

    @Test
    void publishesEverythingStoredWhileKafkaWasDownOnceItIsUp() {
        kafkaDown();
        start(2);
        for (long sequence = 0; sequence < 5; sequence++) {
            eventStore.appendEvents(events("p", sequence, 1));
        }
        eventStore.appendEvents(events("q", 0, 2));
        assertThat(publisher.unpublished()).isEqualTo(7);

        kafkaUp();

        await().atMost(DEADLINE).until(() -> progress.all().equals(Map.of("p", 4L, "q", 1L)));
        assertThat(sent()).filteredOn(record -> record.startsWith("p/"))
                .containsExactly("p/0", "p/1", "p/2", "p/3", "p/4");
        assertThat(sent()).filteredOn(record -> record.startsWith("q/")).containsExactly("q/0", "q/1");
        assertThat(publisher.unpublished()).isZero();
        // Memory held at most 2 events while Kafka was down, so p/2 at the latest came back from the store. Which of
        // p/0 and p/1 went from memory first depends on when the publisher's rounds ran.
        verify(storage, atLeastOnce()).readEvents(eq("p"), longThat(from -> from <= 2));
    }

    private void start(int maxHeld) {
        var settings = new EventPublisher.Settings("shop-events", 100, maxHeld, Duration.ofMillis(20),
                Duration.ofSeconds(5), Duration.ofMillis(200));
        publisher = new EventPublisher(storage, progress, producer, RoundSenderTest.converter(), settings,
                Clock.systemUTC(), new SimpleMeterRegistry());
        eventStore = new PublishingStorageEngine(storage, publisher);
        publisher.start();
    }

    private void kafkaDown() {
        synchronized (producer) {
            producer.sendException = new TimeoutException("Topic shop-events not present in metadata");
        }
    }

    private void kafkaUp() {
        synchronized (producer) {
            producer.sendException = null;
        }
    }

    /** key/sequence of every record the producer took. */
    private List<String> sent() {
        return producer.history().stream()
                .map(record -> RoundSenderTest.position(record).substring("shop-events:".length())).toList();
    }

}
