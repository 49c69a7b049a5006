package io.github.orderstock.query.watch;

import static com.mongodb.client.model.Sorts.descending;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.github.orderstock.query.replay.ReplayStatus;
import io.github.orderstock.query.replay.Replays;
import io.github.orderstock.query.stock.ProductStockProjection;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.extensions.kafka.KafkaProperties;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaTrackingToken;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Once every {@code app.watch.sample-every}, on its own thread: the topic's end offsets (one request to the broker),
 * the projection's positions (in memory), the replay's status and the dead letters (lookups by key and a count), into
 * one {@link WatchStatus}. The metrics and the live page read the last one; nothing they do reaches Kafka or MongoDB.
 * <p>
 * Meters: {@code orderstock.projection.lag.records} and {@code orderstock.projection.lag.seconds} (tags
 * {@code processor}, {@code topic}, {@code partition}), {@code orderstock.projection.dead.letters},
 * {@code orderstock.replay.records.to.replay}, {@code orderstock.replay.records.replayed} and
 * {@code orderstock.replay.running}.
 */
@Component
public class WatchSampler implements SmartLifecycle {

    static final String DEAD_LETTERS = "rejected_records";
    private static final Logger log = LoggerFactory.getLogger(WatchSampler.class);
    private static final String PROCESSOR = ProductStockProjection.PROCESSING_GROUP;

    private final Admin admin;
    private final EventProcessingConfiguration processing;
    private final Replays replays;
    private final MongoCollection<Document> deadLetters;
    private final String topic;
    private final MeterRegistry meters;
    private final Clock clock;
    private final WatchSettings settings;
    private final ProjectionLag lag;
    private final Set<Integer> metered = ConcurrentHashMap.newKeySet();
    private volatile WatchStatus latest = WatchStatus.NOTHING_YET;
    private volatile ScheduledExecutorService executor;

    WatchSampler(@Qualifier("healthAdmin") Admin admin, EventProcessingConfiguration processing, Replays replays,
                 MongoDatabase readModel, KafkaProperties kafka, MeterRegistry meters, Clock clock,
                 WatchSettings settings) {
        this.admin = admin;
        this.processing = processing;
        this.replays = replays;
        this.deadLetters = readModel.getCollection(DEAD_LETTERS);
        this.topic = kafka.getDefaultTopic();
        this.meters = meters;
        this.clock = clock;
        this.settings = settings;
        this.lag = new ProjectionLag(settings.lagMemory(), 10_000);
        Tags processor = Tags.of("processor", PROCESSOR);
        Gauge.builder("orderstock.projection.dead.letters", this, s -> s.latest.deadLetters())
                .description("Records the projection stepped over, kept in rejected_records").tags(processor)
                .register(meters);
        Gauge.builder("orderstock.replay.records.to.replay", this, s -> replay(s).recordsToReplay())
                .description("Records on the topic when the last replay started").tags(processor).register(meters);
        Gauge.builder("orderstock.replay.records.replayed", this, s -> replay(s).recordsReplayed())
                .description("Of those, records the replay has taken again").tags(processor).register(meters);
        Gauge.builder("orderstock.replay.running", this, s -> running(replay(s)) ? 1 : 0)
                .description("1 while a replay runs or switches, else 0").tags(processor).register(meters);
    }

    /** The last sample; {@link WatchStatus#NOTHING_YET} before the first. */
    public WatchStatus latest() {
        return latest;
    }

    /** Takes a sample now; the sampler's thread calls it, tests may too. */
    WatchStatus sample() {
        WatchStatus previous = latest;
        Instant now = clock.instant();
        // The replay first, then the positions, then the ends: a replay seen completed is never paired with the
        // positions of its start, and positions read before the ends can only overstate the lag, never hide it.
        long deadLetterCount = previous.deadLetters();
        List<DeadLetter> recent = previous.recentDeadLetters();
        ReplayStatus replay = previous.replay();
        try {
            replay = replays.status();
            deadLetterCount = deadLetters.estimatedDocumentCount();
            if (deadLetterCount != previous.deadLetters() || previous.sampledAt() == null) {
                recent = recentDeadLetters();
            }
        } catch (RuntimeException e) {
            log.debug("Could not read the replay's status or the dead letters; keeping the last known", e);
        }
        Map<TopicPartition, Long> next = nextOffsets();
        boolean processedHere = processing.eventProcessor(PROCESSOR, TrackingEventProcessor.class)
                .map(processor -> !processor.processingStatus().isEmpty()).orElse(false);
        Optional<Map<TopicPartition, Long>> ends = endOffsets();
        List<WatchStatus.Partition> partitions = previous.partitions();
        if (ends.isPresent()) {
            partitions = lag.update(now, ends.get(), next).stream()
                    .map(p -> new WatchStatus.Partition(p.partition(), p.end(), p.next(), p.records(), p.seconds()))
                    .toList();
        }
        WatchStatus status = new WatchStatus(now, ends.isPresent(), processedHere, partitions,
                partitions.stream().mapToLong(WatchStatus.Partition::lagRecords).sum(),
                partitions.stream().mapToDouble(WatchStatus.Partition::lagSeconds).max().orElse(0),
                deadLetterCount, recent, replay);
        partitions.forEach(p -> meter(p.partition()));
        latest = status;
        return status;
    }

    private void meter(int partition) {
        if (!metered.add(partition)) {
            return;
        }
        Tags tags = Tags.of("processor", PROCESSOR, "topic", topic, "partition", String.valueOf(partition));
        Gauge.builder("orderstock.projection.lag.records", this, s -> s.partition(partition).lagRecords())
                .description("Records on the topic the projection has not taken yet").tags(tags).register(meters);
        Gauge.builder("orderstock.projection.lag.seconds", this, s -> s.partition(partition).lagSeconds())
                .description("How long ago the oldest record the projection has not taken was appended")
                .baseUnit("seconds").tags(tags).register(meters);
    }

    private WatchStatus.Partition partition(int partition) {
        return latest.partitions().stream().filter(p -> p.partition() == partition).findFirst()
                .orElse(new WatchStatus.Partition(partition, 0, 0, 0, 0));
    }

    private static ReplayStatus replay(WatchSampler sampler) {
        ReplayStatus replay = sampler.latest.replay();
        return replay != null ? replay : new ReplayStatus(ReplayStatus.State.IDLE, null, null, 0, 0);
    }

    private static boolean running(ReplayStatus replay) {
        return replay.state() == ReplayStatus.State.RUNNING || replay.state() == ReplayStatus.State.SWITCHING;
    }

    /** The next offset the projection takes per partition, from this instance's tokens. */
    private Map<TopicPartition, Long> nextOffsets() {
        return processing.eventProcessor(PROCESSOR, TrackingEventProcessor.class)
                .map(processor -> processor.processingStatus().values().stream()
                        .map(status -> WrappedToken.unwrap(status.getTrackingToken(), KafkaTrackingToken.class))
                        .flatMap(Optional::stream)
                        .flatMap(token -> token.getPositions().entrySet().stream())
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue() + 1, Math::max)))
                .orElse(Map.of());
    }

    private Optional<Map<TopicPartition, Long>> endOffsets() {
        try {
            var description = admin.describeTopics(List.of(topic)).allTopicNames().get(2, TimeUnit.SECONDS)
                    .get(topic);
            Map<TopicPartition, OffsetSpec> latestOffsets = description.partitions().stream().collect(
                    Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
            return Optional.of(admin.listOffsets(latestOffsets).all().get(2, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            log.debug("Could not read the end offsets of topic '{}'", topic, e);
            return Optional.empty();
        }
    }

    private List<DeadLetter> recentDeadLetters() {
        List<DeadLetter> recent = new ArrayList<>();
        for (Document letter : deadLetters.find().sort(descending("rejectedAt")).limit(5)) {
            recent.add(new DeadLetter(((Number) letter.get("partition")).intValue(),
                    ((Number) letter.get("offset")).longValue(), letter.getString("kind"), letter.getString("reason"),
                    letter.getDate("rejectedAt") == null ? null : letter.getDate("rejectedAt").toInstant()));
        }
        return recent;
    }

    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "watch-sampler");
            thread.setDaemon(true);
            return thread;
        });
        long every = settings.sampleEvery().toMillis();
        started.scheduleWithFixedDelay(() -> {
            try {
                sample();
            } catch (RuntimeException e) {
                log.warn("Sampling the projection's lag failed; trying again in {} ms", every, e);
            }
        }, 0, every, TimeUnit.MILLISECONDS);
        executor = started;
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = executor;
        executor = null;
        if (running != null) {
            running.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
