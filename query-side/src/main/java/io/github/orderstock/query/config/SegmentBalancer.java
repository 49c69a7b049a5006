package io.github.orderstock.query.config;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.orderstock.query.replay.Replays;
import io.github.orderstock.query.stock.ProductStockProjection;
import io.github.orderstock.query.stock.ProjectionInstances;
import io.github.orderstock.query.stock.ProjectionProperties;
import io.github.orderstock.query.stock.ReadModel;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Spreads the projection's segments over the query-side instances (ADR 11). Axon's tracking processor claims every
 * segment it has a thread for, so the instance that starts first would keep them all; every {@code balanceEvery}
 * each instance says it is alive, lets a replay asked of another instance take the segments ({@link Replays}), and
 * gives up one segment while it holds more than its fair share (segments ÷ live instances, rounded up). Axon's
 * processor of another instance, which tries to claim a segment every claim interval, then takes it. An instance that
 * dies keeps its claims until they time out ({@code app.projection.claim-timeout}); then the others claim them.
 * It also tells a running rebuild where each of this instance's segments stands, so that a segment with no events of
 * its own is counted as caught up.
 */
@Component
class SegmentBalancer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SegmentBalancer.class);

    private final EventProcessingConfiguration processing;
    private final ProjectionInstances instances;
    private final Replays replays;
    private final TokenStore tokens;
    private final ReadModel readModel;
    private final Duration balanceEvery;
    private ScheduledExecutorService ticks;

    SegmentBalancer(EventProcessingConfiguration processing, ProjectionInstances instances, Replays replays,
                    TokenStore tokens, ReadModel readModel, ProjectionProperties settings) {
        this.processing = processing;
        this.readModel = readModel;
        this.tokens = tokens;
        this.instances = instances;
        this.replays = replays;
        this.balanceEvery = settings.balanceEvery();
    }

    @Override
    public void start() {
        ticks = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "segment-balancer");
            thread.setDaemon(true);
            return thread;
        });
        ticks.scheduleWithFixedDelay(this::tick, 0, balanceEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ticks.shutdownNow();
        try {
            ticks.awaitTermination(10, TimeUnit.SECONDS);
            instances.leave();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug("Could not say that this instance leaves: {}", e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return ticks != null && !ticks.isShutdown();
    }

    /** After the processors started; stops before them. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1024;
    }

    void tick() {
        try {
            instances.heartbeat();
            TrackingEventProcessor processor = processing.eventProcessor(ProductStockProjection.PROCESSING_GROUP,
                    TrackingEventProcessor.class).orElse(null);
            if (processor == null) {
                return;
            }
            replays.followRequests(processor);
            releaseSurplus(processor);
            processor.processingStatus().forEach((segment, status) ->
                    readModel.segmentCommittedAt(status.getTrackingToken(), segment));
        } catch (RuntimeException e) {
            log.debug("Balancing the projection's segments failed this time: {}", e.toString());
        }
    }

    private void releaseSurplus(TrackingEventProcessor processor) {
        if (!processor.isRunning()) {
            return;
        }
        List<EventTrackerStatus> mine = processor.processingStatus().values().stream()
                .filter(status -> !status.isErrorState()).toList();
        if (mine.size() < 2) {
            return;
        }
        int segments = tokens.fetchSegments(processor.getName()).length;
        int alive = instances.alive();
        int fairShare = (segments + alive - 1) / alive;
        if (mine.size() > fairShare) {
            int released = mine.stream().map(status -> status.getSegment().getSegmentId())
                    .max(Comparator.naturalOrder()).orElseThrow();
            log.info("Releasing segment {} of '{}' to another instance ({} held, fair share {})", released,
                    processor.getName(), mine.size(), fairShare);
            processor.releaseSegment(released, 3 * Math.max(1_000, balanceEvery.toMillis()), TimeUnit.MILLISECONDS);
        }
    }
}
