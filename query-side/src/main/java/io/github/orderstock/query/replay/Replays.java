package io.github.orderstock.query.replay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import io.github.orderstock.query.stock.ProductStockProjection;
import io.github.orderstock.query.stock.ProjectionInstances;
import io.github.orderstock.query.stock.ProjectionProperties;
import io.github.orderstock.query.stock.ReadModel;
import io.github.orderstock.query.stock.Rebuild;
import io.github.orderstock.query.stock.RebuildRequests;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.extensions.kafka.KafkaProperties;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaTrackingToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
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
    private final String self;
    private final TokenStore tokens;
    /** How long a request may wait for the other instances to let go of their segments (a dead one: its claims). */
    private final Duration requestDeadline;
    /** This instance stopped its processor for a replay another instance asked for. */
    private volatile boolean pausedForReplay;

    @Autowired
    Replays(EventProcessingConfiguration processing, ReadModel readModel, KafkaProperties kafka, Clock clock,
            ProjectionInstances instances, TokenStore tokens, ProjectionProperties settings) {
        this.processing = processing;
        this.readModel = readModel;
        this.kafka = kafka;
        this.clock = clock;
        this.self = instances.self();
        this.tokens = tokens;
        this.requestDeadline = settings.replayRequestDeadline();
    }

    /** Without other instances (tests). */
    Replays(EventProcessingConfiguration processing, ReadModel readModel, KafkaProperties kafka, Clock clock) {
        this.processing = processing;
        this.readModel = readModel;
        this.kafka = kafka;
        this.clock = clock;
        this.self = "single";
        this.tokens = null;
        this.requestDeadline = Duration.ofSeconds(10);
    }

    /**
     * Starts a replay, on whichever instance is asked (ADR 11). Resetting the tokens needs every segment's claim, so
     * the request is recorded first; every instance looks for requests every moment ({@link #followRequests}) and stops
     * its processor, which gives up its claims; then this one resets every segment's token, records the replay and
     * starts its processor, and the others start theirs when the request is gone. Two requests at once: one wins, the
     * other is answered 409.
     * <p>
     * The tokens are reset before the replay is recorded: a crash in between leaves the projection replaying into the
     * live collections, which changes nothing there (each event applies once by its sequence), whereas a recorded
     * replay over tokens that were never reset would switch readers to a partial rebuild.
     */
    public synchronized ReplayStatus start() {
        if (readModel.rebuild().filter(rebuild -> rebuild.state() != Rebuild.State.COMPLETED).isPresent()
                || !readModel.requests().ask(self, clock.instant(), requestDeadline)) {
            throw new ReplayAlreadyRunningException();
        }
        try {
            Map<TopicPartition, Long> endOffsets = endOffsets();
            TrackingEventProcessor processor = processor();
            log.info("Replay of the read model starts: {} records on topic '{}'", endOffsets.values().stream()
                    .mapToLong(Long::longValue).sum(), kafka.getDefaultTopic());
            processor.shutDown();
            try {
                resetOnceEverySegmentIsFree(processor);
                readModel.startRebuild(clock.instant(), endOffsets, segments(processor));
                if (endOffsets.values().stream().allMatch(offset -> offset == 0)) {
                    // Nothing to wait for: no batch would ever come to complete it.
                    readModel.switchToRebuilt();
                }
            } finally {
                processor.start();
            }
        } finally {
            readModel.requests().withdraw(self);
        }
        return status();
    }

    /**
     * Called every moment by each instance: stops this instance's processor while another instance asks for a
     * replay (giving up its claims so that the tokens can be reset), and starts it again once the request is gone
     * (done, or left by an instance that died and since outdated).
     */
    public void followRequests(TrackingEventProcessor processor) {
        Optional<RebuildRequests.Request> request = readModel.requests().pending()
                .filter(asked -> asked.at().plus(requestDeadline).isAfter(clock.instant()));
        if (request.isPresent() && !request.get().by().equals(self)) {
            if (processor.isRunning()) {
                log.info("Instance '{}' asks for a replay: stopping the projection here until it started",
                        request.get().by());
                pausedForReplay = true;
                processor.shutDown();
            }
        } else if (pausedForReplay) {
            pausedForReplay = false;
            processor.start();
            log.info("The projection runs again here after the replay request of another instance");
        }
    }

    /** Resets every segment's token; waits for segments still claimed by other instances, up to the deadline. */
    private void resetOnceEverySegmentIsFree(TrackingEventProcessor processor) {
        Instant deadline = clock.instant().plus(requestDeadline);
        while (true) {
            try {
                processor.resetTokens();
                return;
            } catch (UnableToClaimTokenException e) {
                if (clock.instant().isAfter(deadline)) {
                    throw new ReplayNotPossibleException(e);
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new ReplayNotPossibleException(interrupted);
                }
            }
        }
    }

    private List<Integer> segments(TrackingEventProcessor processor) {
        if (tokens == null) {
            return List.of(0);
        }
        return Arrays.stream(tokens.fetchSegments(processor.getName())).boxed().toList();
    }

    public ReplayStatus status() {
        Optional<Rebuild> found = readModel.rebuild();
        if (found.isEmpty()) {
            return ReplayStatus.IDLE;
        }
        Rebuild rebuild = found.get();
        long toReplay = rebuild.endOffsets().values().stream().mapToLong(Long::longValue).sum();
        long replayed = toReplay;
        if (rebuild.state() == Rebuild.State.RUNNING) {
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
