package io.github.orderstock.query.replay;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import io.github.orderstock.query.stock.ProductStockProjection;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.extensions.kafka.KafkaProperties;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaTrackingToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Rebuilds the read model: resets the projection's tracking token to the start of the topic, which clears the
 * collections ({@code @ResetHandler}) and re-applies every record. The replay is complete when the projection's
 * position reached, on every partition, the end the topic had when the replay started; records appended since are
 * simply the live stream.
 */
@Service
public class Replays {

    private static final Logger log = LoggerFactory.getLogger(Replays.class);

    private final EventProcessingConfiguration processing;
    private final KafkaProperties kafka;
    private final Clock clock;
    private Replay current;

    private record Replay(Instant startedAt, Map<TopicPartition, Long> endOffsets, Instant completedAt) {

        long recordsToReplay() {
            return endOffsets.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    Replays(EventProcessingConfiguration processing, KafkaProperties kafka, Clock clock) {
        this.processing = processing;
        this.kafka = kafka;
        this.clock = clock;
    }

    public synchronized ReplayStatus start() {
        if (current != null && status().state() == ReplayStatus.State.RUNNING) {
            throw new ReplayAlreadyRunningException();
        }
        Map<TopicPartition, Long> endOffsets = endOffsets();
        TrackingEventProcessor processor = processor();
        log.info("Replay of the read model starts: {} records on topic '{}'", endOffsets.values().stream()
                .mapToLong(Long::longValue).sum(), kafka.getDefaultTopic());
        processor.shutDown();
        processor.resetTokens();
        processor.start();
        current = new Replay(clock.instant(), endOffsets, null);
        return status();
    }

    public synchronized ReplayStatus status() {
        if (current == null) {
            return ReplayStatus.IDLE;
        }
        Map<TopicPartition, Long> positions = positions();
        long replayed = current.endOffsets().entrySet().stream()
                .mapToLong(end -> Math.min(end.getValue(), positions.getOrDefault(end.getKey(), -1L) + 1))
                .sum();
        if (current.completedAt() == null && replayed == current.recordsToReplay() && !positions.isEmpty()) {
            current = new Replay(current.startedAt(), current.endOffsets(), clock.instant());
            log.info("Replay of the read model completed: {} records", replayed);
        }
        ReplayStatus.State state = current.completedAt() == null ? ReplayStatus.State.RUNNING
                : ReplayStatus.State.COMPLETED;
        return new ReplayStatus(state, current.startedAt(), current.completedAt(), current.recordsToReplay(),
                replayed);
    }

    private TrackingEventProcessor processor() {
        return processing.eventProcessor(ProductStockProjection.PROCESSING_GROUP, TrackingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException(
                        "No tracking processor '" + ProductStockProjection.PROCESSING_GROUP + "' is configured"));
    }

    /** The offset of the last record the projection took, per partition, from the tokens of its segments. */
    private Map<TopicPartition, Long> positions() {
        Map<Integer, EventTrackerStatus> statuses = processor().processingStatus();
        if (statuses.isEmpty()) {
            return Map.of();
        }
        return statuses.values().stream()
                .map(status -> WrappedToken.unwrap(status.getTrackingToken(), KafkaTrackingToken.class))
                .flatMap(java.util.Optional::stream)
                .flatMap(token -> token.getPositions().entrySet().stream())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, Math::max));
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
