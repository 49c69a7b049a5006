package io.github.orderstock.command.publish;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.axonframework.common.Registration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
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
 * the highest sequence number the broker acknowledged ({@link PublicationProgress}). Events are handed over in memory
 * right after the event store stored them, sent in batches over all products, and the progress moves only over an
 * unbroken run of acknowledged events. Whatever is not in memory (after a restart, or beyond {@code maxHeld} while
 * Kafka is down) is read back by key from the event store, from the first unacknowledged sequence number on.
 * Anything sent but not recorded before a crash is sent again: duplicates, never gaps. The projection applies each
 * sequence number once.
 */
public class EventPublisher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);
    /** While publishing keeps failing, the warning is repeated this often, not at every retry. */
    private static final Duration WARN_EVERY = Duration.ofSeconds(30);

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

    private final EventBus eventStore;
    private final EventStorageEngine storage;
    private final PublicationProgress progress;
    private final Producer<String, byte[]> producer;
    private final KafkaMessageConverter<String, byte[]> converter;
    private final Settings settings;
    private final Clock clock;
    private final Counter publishedCounter;

    private final Object lock = new Object();
    private final Map<String, ProductStream> streams = new HashMap<>();
    private final Set<String> dirty = new LinkedHashSet<>();
    private final Map<String, Long> progressToRecord = new HashMap<>();
    private int held;
    private Instant lastRecorded = Instant.EPOCH;
    private Instant lastWarned = Instant.EPOCH;
    private Throwable lastFailure;

    private volatile boolean running;
    private Thread worker;
    private Registration subscription;

    public EventPublisher(EventBus eventStore, EventStorageEngine storage, PublicationProgress progress,
                          Producer<String, byte[]> producer, KafkaMessageConverter<String, byte[]> converter,
                          Settings settings, Clock clock, MeterRegistry meters) {
        this.eventStore = eventStore;
        this.storage = storage;
        this.progress = progress;
        this.producer = producer;
        this.converter = converter;
        this.settings = settings;
        this.clock = clock;
        this.publishedCounter = Counter.builder("orderstock.publisher.published.events")
                .description("Events the broker acknowledged (duplicates after a restart included)")
                .register(meters);
        Gauge.builder("orderstock.publisher.unpublished.events", this, EventPublisher::unpublished)
                .description("Events stored but not yet acknowledged by the broker, as far as this process knows")
                .register(meters);
    }

    /** Registers a product before its first event is stored, so that a crash cannot hide its stream. */
    public void register(String aggregateId) {
        progress.register(aggregateId);
        synchronized (lock) {
            streams.computeIfAbsent(aggregateId, id -> new ProductStream(-1, false));
        }
    }

    /** Events this process knows of that the broker has not acknowledged. */
    public long unpublished() {
        synchronized (lock) {
            return streams.values().stream().mapToLong(s -> Math.max(0, s.stored - s.published)).sum();
        }
    }

    @Override
    public void start() {
        Map<String, Long> known = progress.all();
        synchronized (lock) {
            // After a restart any stream may hold events this process never saw: probe each one's tail once.
            known.forEach((id, publishedUpTo) -> streams.put(id, new ProductStream(publishedUpTo, true)));
            dirty.addAll(known.keySet());
        }
        running = true;
        subscription = eventStore.subscribe(this::stored);
        worker = new Thread(this::run, "kafka-event-publisher");
        worker.start();
        log.info("Publishing events to Kafka topic '{}'; checking the tails of {} product streams for events not yet "
                + "published", settings.topic(), known.size());
    }

    @Override
    public void stop() {
        running = false;
        if (subscription != null) {
            subscription.cancel();
        }
        synchronized (lock) {
            lock.notifyAll();
        }
        if (worker != null) {
            try {
                worker.join(settings.ackTimeout().toMillis() + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        recordProgress(true);
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

    /** Called by the event store right after it stored the events of a unit of work. */
    private void stored(List<? extends EventMessage<?>> events) {
        synchronized (lock) {
            for (EventMessage<?> event : events) {
                if (event instanceof DomainEventMessage<?> domain) {
                    ProductStream stream = streams.computeIfAbsent(domain.getAggregateIdentifier(),
                            id -> new ProductStream(-1, false));
                    long sequence = domain.getSequenceNumber();
                    stream.stored = Math.max(stream.stored, sequence);
                    if (sequence > stream.published && held < settings.maxHeld()
                            && stream.held.put(sequence, domain) == null) {
                        held++;
                    }
                    dirty.add(domain.getAggregateIdentifier());
                }
            }
            lock.notifyAll();
        }
    }

    private void run() {
        Duration backOff = Duration.ZERO;
        Instant failingSince = null;
        while (running) {
            List<Pending> round = List.of();
            try {
                round = awaitRound();
                if (round.isEmpty()) {
                    recordProgress(false);
                    continue;
                }
                readMissingFromStore(round);
                int failed = send(round);
                recordProgress(false);
                if (failed == 0) {
                    if (failingSince != null) {
                        log.info("Kafka topic '{}' is reachable again; publishing the events stored meanwhile "
                                + "({} s without publishing)", settings.topic(),
                                Duration.between(failingSince, clock.instant()).toSeconds());
                    }
                    failingSince = null;
                    backOff = Duration.ZERO;
                    continue;
                }
                if (failingSince == null || clock.instant().isAfter(lastWarned.plus(WARN_EVERY))) {
                    log.warn("Cannot publish to Kafka topic '{}' ({}); {} events wait and are sent again once the "
                            + "broker answers. Check that Kafka is reachable (KAFKA_BOOTSTRAP_SERVERS).",
                            settings.topic(), String.valueOf(lastFailure), unpublished());
                    lastWarned = clock.instant();
                }
                if (failingSince == null) {
                    failingSince = clock.instant();
                }
                backOff = backOff.isZero() ? Duration.ofMillis(200)
                        : min(backOff.multipliedBy(2), settings.maxBackOff());
            } catch (RuntimeException e) {
                synchronized (lock) {
                    round.forEach(pending -> dirty.add(pending.aggregateId));
                }
                if (failingSince == null) {
                    failingSince = clock.instant();
                }
                if (clock.instant().isAfter(lastWarned.plus(WARN_EVERY))) {
                    log.warn("Cannot publish: reading unpublished events from the event store failed ({}); "
                            + "retrying. Check that MongoDB is reachable (MONGO_URI).", e.toString());
                    lastWarned = clock.instant();
                }
                backOff = backOff.isZero() ? Duration.ofMillis(200)
                        : min(backOff.multipliedBy(2), settings.maxBackOff());
            }
            pause(backOff);
        }
    }

    /** Waits until some stream has events to send, then takes up to {@code maxBatch} of them. */
    private List<Pending> awaitRound() {
        synchronized (lock) {
            while (running && dirty.isEmpty()) {
                try {
                    lock.wait(settings.progressEvery().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
                if (dirty.isEmpty()) {
                    return List.of();
                }
            }
            List<Pending> round = new ArrayList<>();
            int budget = settings.maxBatch();
            Iterator<String> ids = dirty.iterator();
            while (ids.hasNext() && budget > 0) {
                String id = ids.next();
                ids.remove();
                ProductStream stream = streams.get(id);
                long from = stream.published + 1;
                if (!stream.probe && stream.stored < from) {
                    continue;
                }
                List<DomainEventMessage<?>> events = new ArrayList<>();
                boolean inMemory = !stream.probe;
                for (long sequence = from; sequence <= stream.stored && events.size() < budget; sequence++) {
                    DomainEventMessage<?> event = stream.held.get(sequence);
                    if (event == null) {
                        inMemory = false;
                        break;
                    }
                    events.add(event);
                }
                Pending pending = new Pending(id, from, inMemory ? events : new ArrayList<>(), !inMemory,
                        stream.probe);
                budget -= inMemory ? events.size() : Math.min(budget, 100);
                round.add(pending);
            }
            return round;
        }
    }

    /** Reads, by key, the events that are not in memory: after a restart, or when too many were waiting. */
    private void readMissingFromStore(List<Pending> round) {
        int budget = settings.maxBatch();
        for (Pending pending : round) {
            if (!pending.fromStore) {
                continue;
            }
            DomainEventStream stream = storage.readEvents(pending.aggregateId, pending.from);
            while (stream.hasNext() && pending.events.size() < Math.max(100, budget)) {
                pending.events.add(stream.next());
            }
            pending.reachedEnd = !stream.hasNext();
            budget -= pending.events.size();
        }
    }

    /** Sends a round and waits for the acknowledgements; returns how many streams could not be sent in full. */
    private int send(List<Pending> round) {
        List<List<Future<RecordMetadata>>> sent = new ArrayList<>(round.size());
        RuntimeException sendFailure = null;
        for (Pending pending : round) {
            List<Future<RecordMetadata>> futures = new ArrayList<>(pending.events.size());
            for (DomainEventMessage<?> event : pending.events) {
                if (sendFailure != null) {
                    break;
                }
                try {
                    ProducerRecord<String, byte[]> record = converter.createKafkaMessage(event, settings.topic());
                    futures.add(producer.send(record));
                } catch (RuntimeException e) {
                    sendFailure = e;
                }
            }
            sent.add(futures);
        }
        long deadline = System.nanoTime() + settings.ackTimeout().toNanos();
        int failed = 0;
        Throwable firstFailure = sendFailure;
        Map<String, Long> acknowledged = new HashMap<>();
        for (int i = 0; i < round.size(); i++) {
            Pending pending = round.get(i);
            int run = 0;
            for (Future<RecordMetadata> future : sent.get(i)) {
                try {
                    future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    run++;
                } catch (ExecutionException e) {
                    firstFailure = firstFailure == null ? e.getCause() : firstFailure;
                    break;
                } catch (TimeoutException e) {
                    firstFailure = firstFailure == null ? e : firstFailure;
                    break;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                    break;
                }
            }
            boolean complete = run == pending.events.size();
            if (!complete) {
                failed++;
            }
            if (run > 0) {
                acknowledged.put(pending.aggregateId, pending.from + run - 1);
            }
            pending.complete = complete;
        }
        acknowledge(round, acknowledged);
        lastFailure = failed > 0 ? firstFailure : null;
        return failed;
    }

    private void acknowledge(List<Pending> round, Map<String, Long> acknowledged) {
        long count = 0;
        synchronized (lock) {
            for (Pending pending : round) {
                ProductStream stream = streams.get(pending.aggregateId);
                Long upTo = acknowledged.get(pending.aggregateId);
                if (upTo != null && upTo > stream.published) {
                    count += upTo - stream.published;
                    stream.published = upTo;
                    stream.stored = Math.max(stream.stored, upTo);
                    var done = stream.held.headMap(upTo, true);
                    held -= done.size();
                    done.clear();
                    progressToRecord.put(pending.aggregateId, upTo);
                }
                if (pending.probe && pending.complete && pending.reachedEnd) {
                    stream.probe = false;
                }
                if (stream.probe || stream.stored > stream.published) {
                    dirty.add(pending.aggregateId);
                }
            }
        }
        publishedCounter.increment(count);
    }

    /** Writes the acknowledged positions, at most every {@code progressEvery} unless {@code now}. */
    private void recordProgress(boolean now) {
        Map<String, Long> toRecord;
        synchronized (lock) {
            if (progressToRecord.isEmpty()
                    || !now && clock.instant().isBefore(lastRecorded.plus(settings.progressEvery()))) {
                return;
            }
            toRecord = new HashMap<>(progressToRecord);
            progressToRecord.clear();
        }
        try {
            progress.advance(toRecord);
            lastRecorded = clock.instant();
        } catch (RuntimeException e) {
            synchronized (lock) {
                toRecord.forEach((id, upTo) -> progressToRecord.merge(id, upTo, Math::max));
            }
            log.warn("Cannot record how far {} product streams are published ({}); events since the last record "
                    + "will be sent again after a restart. Check that MongoDB is reachable.", toRecord.size(),
                    e.toString());
        }
    }

    private void pause(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        synchronized (lock) {
            try {
                long until = System.nanoTime() + duration.toNanos();
                while (running && System.nanoTime() < until) {
                    lock.wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** What this process knows of one product's stream. */
    private static final class ProductStream {
        long stored;
        long published;
        /** After a restart: the event store may hold events after {@code published} that this process never saw. */
        boolean probe;
        final TreeMap<Long, DomainEventMessage<?>> held = new TreeMap<>();

        ProductStream(long published, boolean probe) {
            this.published = published;
            this.stored = published;
            this.probe = probe;
        }
    }

    /** One product's share of a send round. */
    private static final class Pending {
        final String aggregateId;
        final long from;
        final List<DomainEventMessage<?>> events;
        final boolean fromStore;
        final boolean probe;
        boolean reachedEnd;
        boolean complete;

        Pending(String aggregateId, long from, List<DomainEventMessage<?>> events, boolean fromStore,
                boolean probe) {
            this.aggregateId = aggregateId;
            this.from = from;
            this.events = events;
            this.fromStore = fromStore;
            this.probe = probe;
        }
    }
}
