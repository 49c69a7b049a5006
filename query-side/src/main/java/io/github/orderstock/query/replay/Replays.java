package io.github.orderstock.query.replay;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import io.github.orderstock.query.stock.ProductStockProjection;
import io.github.orderstock.query.stock.ReadModel;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.extensions.kafka.KafkaProperties;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaTrackingToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Rebuilds the read model: resets the projection's tracking token to the start of the topic, and the projection
 * re-applies every record into rebuild collections while readers keep the live ones ({@link ReadModel}). The replay
 * is complete when the projection's position reached, on every partition, the end the topic had when the replay
 * started; the projection then switches readers to the rebuilt collections. Records appended since are simply the
 * live stream. The replay's state is kept in MongoDB, so it survives a crash and every instance tells the same.
 */
@Service
public class Replays {

    private static final Logger log = LoggerFactory.getLogger(Replays.class);

    private final EventProcessingConfiguration processing;
    private final ReadModel readModel;
    private final KafkaProperties kafka;
    private final Clock clock;

    Replays(EventProcessingConfiguration processing, ReadModel readModel, KafkaProperties kafka, Clock clock) {
        this.processing = processing;
        this.readModel = readModel;
        this.kafka = kafka;
        this.clock = clock;
    }

    /**
     * Starts a replay. The tokens are reset before the replay is recorded: a crash in between leaves the projection
     * replaying into the live collections, which changes nothing there (each event applies once by its sequence),
     * whereas a recorded replay over tokens that were never reset would switch readers to a partial rebuild.
     */
    public synchronized ReplayStatus start() {
        if (readModel.rebuild().filter(rebuild -> rebuild.state() != ReadModel.State.COMPLETED).isPresent()) {
            throw new ReplayAlreadyRunningException();
        }
        Map<TopicPartition, Long> endOffsets = endOffsets();
        TrackingEventProcessor processor = processor();
        log.info("Replay of the read model starts: {} records on topic '{}'", endOffsets.values().stream()
                .mapToLong(Long::longValue).sum(), kafka.getDefaultTopic());
        processor.shutDown();
        try {
            processor.resetTokens();
            readModel.startRebuild(clock.instant(), endOffsets);
            if (endOffsets.values().stream().allMatch(offset -> offset == 0)) {
                // Nothing to wait for: no batch would ever come to complete it.
                readModel.switchToRebuilt();
            }
        } finally {
            processor.start();
        }
        return status();
    }

    public ReplayStatus status() {
        Optional<ReadModel.Rebuild> found = readModel.rebuild();
        if (found.isEmpty()) {
            return ReplayStatus.IDLE;
        }
        ReadModel.Rebuild rebuild = found.get();
        long toReplay = rebuild.endOffsets().values().stream().mapToLong(Long::longValue).sum();
        long replayed = toReplay;
        if (rebuild.state() == ReadModel.State.RUNNING) {
            Map<TopicPartition, Long> positions = positions();
            replayed = rebuild.endOffsets().entrySet().stream()
                    .mapToLong(end -> Math.min(end.getValue(), positions.getOrDefault(end.getKey(), -1L) + 1))
                    .sum();
        }
        return new ReplayStatus(ReplayStatus.State.valueOf(rebuild.state().name()), rebuild.startedAt(),
                rebuild.completedAt(), toReplay, replayed);
    }

    private TrackingEventProcessor processor() {
        return processing.eventProcessor(ProductStockProjection.PROCESSING_GROUP, TrackingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException(
                        "No tracking processor '" + ProductStockProjection.PROCESSING_GROUP + "' is configured"));
    }

    /**
     * The offset of the last record the projection took, per partition, from the tokens of this instance's segments
     * (none if the processor runs on another instance).
     */
    private Map<TopicPartition, Long> positions() {
        return processing.eventProcessor(ProductStockProjection.PROCESSING_GROUP, TrackingEventProcessor.class)
                .map(processor -> processor.processingStatus().values().stream()
                        .map(status -> WrappedToken.unwrap(status.getTrackingToken(), KafkaTrackingToken.class))
                        .flatMap(Optional::stream)
                        .flatMap(token -> token.getPositions().entrySet().stream())
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, Math::max)))
                .orElse(Map.of());
    }

    private Map<TopicPartition, Long> endOffsets() {
        String topic = kafka.getDefaultTopic();
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", kafka.getBootstrapServers()),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(config)) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(topic);
            Map<TopicPartition, OffsetSpec> latest = description.partitions().stream()
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw new KafkaUnavailableException(topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException(topic, e);
        }
    }
}
