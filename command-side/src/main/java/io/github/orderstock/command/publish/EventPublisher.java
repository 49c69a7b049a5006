package io.github.orderstock.command.publish;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.Producer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Sends every stored event to Kafka, at least once and in the order of its product's stream, without searching the
 * event store.
 * <p>
 * Each product's stream has gapless sequence numbers, so "what is not yet on Kafka" is, per product, everything after
 * the highest sequence number the broker acknowledged ({@link PublicationProgress}). The event store hands each unit
 * of work's events over in memory right after storing them ({@link PublishingStorageEngine} calls {@link #stored});
 * one thread sends them in rounds over all products ({@link #publishOneRound}), and a product's progress moves only
 * over an unbroken run of acknowledged events. Whatever is not in memory (after a restart, or beyond {@code maxHeld}
 * while Kafka is down) is read back by key from the event store, from the first unacknowledged sequence number on.
 * Anything sent but not recorded before a crash is sent again: duplicates, never gaps. The projection applies each
 * sequence number once.
 */
public class EventPublisher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

    /**
     * @param topic          the Kafka topic
     * @param maxBatch       events per send round, over all products
     * @param maxHeld        events kept in memory until acknowledged; more are read back from the event store
     * @param progressEvery  how often the acknowledged positions are written to MongoDB
     * @param ackTimeout     how long a send round waits for the broker before it counts as failed
     * @param maxBackOff     the longest pause between failed rounds while Kafka is unreachable
     */
    public record Settings(String topic, int maxBatch, int maxHeld, Duration progressEvery, Duration ackTimeout,
                           Duration maxBackOff) {
    }

    private final PublicationProgress positions;
    private final Settings settings;
    private final UnpublishedEvents unpublished;
    private final StreamTailReader tails;
    private final RoundSender kafka;
    private final ProgressRecorder progress;
    private final PublishingOutage outage;
    private final Counter publishedCounter;
    private final Object pauses = new Object();

    private volatile boolean running;
    private Thread worker;

    public EventPublisher(EventStorageEngine storage, PublicationProgress positions, Producer<String, byte[]> producer,
                          KafkaMessageConverter<String, byte[]> converter, Settings settings, Clock clock,
                          MeterRegistry meters) {
        this.positions = positions;
        this.settings = settings;
        this.unpublished = new UnpublishedEvents(settings.maxHeld());
        this.tails = new StreamTailReader(storage);
        this.kafka = new RoundSender(producer, converter, settings.topic(), settings.ackTimeout());
        this.progress = new ProgressRecorder(positions, settings.progressEvery(), clock);
        this.outage = new PublishingOutage(settings.topic(), settings.maxBackOff(), clock);
        this.publishedCounter = Counter.builder("orderstock.publisher.published.events")
                .description("Events the broker acknowledged (duplicates after a restart included)")
                .register(meters);
        Gauge.builder("orderstock.publisher.unpublished.events", this, EventPublisher::unpublished)
                .description("Events stored but not yet acknowledged by the broker, as far as this process knows")
                .register(meters);
    }

    /**
     * Registers every stream these events start, before they are stored, so that a crash cannot hide a stream:
     * after a restart every registered stream's tail is checked.
     */
    void registerNewStreams(List<? extends EventMessage<?>> events) {
        for (EventMessage<?> event : events) {
            if (event instanceof DomainEventMessage<?> domain && domain.getSequenceNumber() == 0) {
                positions.register(domain.getAggregateIdentifier());
                unpublished.register(domain.getAggregateIdentifier());
            }
        }
    }

    /** The events of a unit of work, right after the event store stored them. */
    void stored(List<? extends EventMessage<?>> events) {
        unpublished.stored(events);
    }

    /** Events this process knows of that the broker has not acknowledged. */
    public long unpublished() {
        return unpublished.count();
    }

    @Override
    public void start() {
        Map<String, Long> known = positions.all();
        unpublished.probeAfterRestart(known);
        running = true;
        worker = new Thread(this::run, "kafka-event-publisher");
        worker.start();
        log.info("Publishing events to Kafka topic '{}'; checking the tails of {} product streams for events not yet "
                + "published", settings.topic(), known.size());
    }

    @Override
    public void stop() {
        running = false;
        unpublished.close();
        synchronized (pauses) {
            pauses.notifyAll();
        }
        if (worker != null) {
            try {
                worker.join(settings.ackTimeout().toMillis() + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        progress.recordNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before the web server takes requests and stops after it finished the last one. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }

    private void run() {
        while (running && !Thread.currentThread().isInterrupted()) {
            pause(publishOneRound());
        }
    }

    /**
     * Takes the streams that have events to send, reads what is not in memory, sends them, moves each stream over
     * what the broker acknowledged and records that; answers how long to pause before the next round.
     */
    private Duration publishOneRound() {
        List<StreamBatch> round = List.of();
        try {
            round = unpublished.awaitRound(settings.maxBatch(), settings.progressEvery());
            if (round.isEmpty()) {
                progress.recordIfDue();
                return Duration.ZERO;
            }
            round = afterWhatOthersPublished(round);
            tails.readMissing(round, settings.maxBatch());
            RoundSender.Result sent = kafka.send(round);
            publishedCounter.increment(unpublished.acknowledged(round));
            progress.acknowledged(round);
            progress.recordIfDue();
            return sent.incomplete() == 0 ? outage.roundSent()
                    : outage.kafkaFailed(sent.failure(), unpublished::count);
        } catch (RuntimeException e) {
            unpublished.retry(round);
            return outage.storeFailed(e);
        }
    }

    /**
     * A stream this process has to read from the store has a gap in what it saw: another command-side instance
     * stored events of it (ADR 11), or this one restarted. What is not known to be on the topic must go there before
     * this process's own events, but what the other instance has already published need not be sent twice: each such
     * stream starts after the position recorded in MongoDB by whichever instance published it (one read by keys per
     * round, only for these streams). A position is recorded only after the broker acknowledged it, so starting after
     * it never leaves a gap on the topic; positions are recorded once a second, so up to a second of the other
     * instance's events may be sent again, and the projection ignores those.
     */
    private List<StreamBatch> afterWhatOthersPublished(List<StreamBatch> round) {
        List<String> gaps = round.stream().filter(batch -> batch.fromStore).map(batch -> batch.aggregateId).toList();
        if (gaps.isEmpty()) {
            return round;
        }
        return unpublished.publishedElsewhere(round, positions.of(gaps));
    }

    private void pause(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        synchronized (pauses) {
            try {
                long until = System.nanoTime() + duration.toNanos();
                while (running && System.nanoTime() < until) {
                    pauses.wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
