package io.github.orderstock.query.stock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.RenameCollectionOptions;
import com.mongodb.client.model.Updates;
import io.github.orderstock.events.OrderPlacedEvent;
import io.github.orderstock.events.ProductAddedEvent;
import io.github.orderstock.support.testing.InMemoryMongo;
import io.github.orderstock.support.testing.TestClock;
import org.apache.kafka.common.TopicPartition;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaTrackingToken;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A replay rebuilds into other collections and switches readers over; driven as the tracking processor would. */
class ReadModelTest {

    private static final Instant PLACED_AT = Instant.parse("2026-11-24T12:00:00Z");
    private static final TopicPartition PARTITION = new TopicPartition("shop-events", 0);

    /** One record of the topic: its offset on the only partition and the event's position in its stream. */
    private record Delivery(long offset, Object event, long sequence) {
    }

    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));
    @RegisterExtension
    final InMemoryMongo mongo = InMemoryMongo.forEachTest();
    private MongoDatabase database;
    private ReadModel readModel;
    private ProductStockProjection projection;

    @BeforeEach
    void setUp() {
        database = mongo.database("shop_read");
        readModel = ReadModel.open(database, clock);
        projection = new ProductStockProjection(readModel);
    }

    @Test
    void writesDuringAReplayGoToTheRebuildCollectionsWhileReadersKeepTheLastCompleteView() {
        List<Delivery> topic = List.of(new Delivery(0, new ProductAddedEvent("1", "Product 1", 10), 0),
                new Delivery(1, new OrderPlacedEvent("o-1", "1", 1), 1),
                new Delivery(2, new OrderPlacedEvent("o-2", "1", 2), 2));
        deliver(topic);

        startReplay(3);
        deliver(topic.subList(0, 2));

        assertThat(readModel.rebuild().orElseThrow().state()).isEqualTo(Rebuild.State.RUNNING);
        assertThat(projection.handle(new FindProductQuery("1"))).contains(new ProductView("1", "Product 1", 7));
        assertThat(projection.handle(new FindOrderQuery("o-2"))).isPresent();
        assertThat(database.getCollection("products_rebuild").find().first())
                .containsEntry("quantity", 9).containsEntry("lastSequence", 1L);
        assertThat(database.getCollection("orders_rebuild").countDocuments()).isEqualTo(1);
    }

    @Test
    void theBatchThatReachesTheEndOfTheTopicSwitchesBothCollectionsAndRecordsThatMoment() {
        deliver(List.of(new Delivery(0, new ProductAddedEvent("1", "Product 1", 10), 0),
                new Delivery(1, new OrderPlacedEvent("o-1", "1", 1), 1)));
        database.getCollection("orders").insertOne(new Document("_id", "stale"));
        Instant startedAt = clock.instant();
        startReplay(2);
        deliver(List.of(new Delivery(0, new ProductAddedEvent("1", "Product 1", 10), 0)));
        clock.advance(Duration.ofSeconds(3));
        Instant switchedAt = clock.instant();

        deliver(List.of(new Delivery(1, new OrderPlacedEvent("o-1", "1", 1), 1),
                new Delivery(2, new OrderPlacedEvent("o-2", "1", 2), 2)));
        clock.advance(Duration.ofSeconds(5));

        assertThat(readModel.rebuild()).hasValueSatisfying(rebuild -> {
            assertThat(rebuild.state()).isEqualTo(Rebuild.State.COMPLETED);
            assertThat(rebuild.startedAt()).isEqualTo(startedAt);
            assertThat(rebuild.completedAt()).isEqualTo(switchedAt);
        });
        assertThat(projection.handle(new FindProductQuery("1"))).contains(new ProductView("1", "Product 1", 7));
        assertThat(projection.handle(new FindOrderQuery("o-2"))).isPresent();
        assertThat(projection.handle(new FindOrderQuery("stale"))).isEmpty();
        assertThat(database.listCollectionNames().into(new ArrayList<>()))
                .doesNotContain("products_rebuild", "orders_rebuild");

        deliver(List.of(new Delivery(3, new OrderPlacedEvent("o-3", "1", 3), 3)));
        assertThat(projection.handle(new FindProductQuery("1"))).contains(new ProductView("1", "Product 1", 4));
    }

    @Test
    void aSwitchInterruptedAfterTheFirstRenameIsFinishedAtTheNextStart() {
        deliver(List.of(new Delivery(0, new ProductAddedEvent("1", "Product 1", 10), 0)));
        startReplay(2);
        deliver(List.of(new Delivery(0, new ProductAddedEvent("1", "Product 1", 10), 0),
                new Delivery(1, new OrderPlacedEvent("o-1", "1", 1), 1)).subList(0, 1));
        projection.on(new OrderPlacedEvent("o-1", "1", 1), 1, PLACED_AT);
        // The switch's first steps, then a crash: orders renamed, products not yet.
        database.getCollection("replays").updateOne(Filters.eq("_id", "product-stock"),
                Updates.set("state", "SWITCHING"));
        database.getCollection("orders_rebuild").renameCollection(new MongoNamespace("shop_read", "orders"),
                new RenameCollectionOptions().dropTarget(true));
        assertThat(new ProductStockProjection(readModel).handle(new FindProductQuery("1")))
                .contains(new ProductView("1", "Product 1", 10));
        clock.advance(Duration.ofSeconds(7));

        ReadModel restarted = ReadModel.open(database, clock);

        var afterRestart = new ProductStockProjection(restarted);
        assertThat(afterRestart.handle(new FindProductQuery("1"))).contains(new ProductView("1", "Product 1", 9));
        assertThat(afterRestart.handle(new FindOrderQuery("o-1"))).isPresent();
        assertThat(restarted.rebuild().orElseThrow().state()).isEqualTo(Rebuild.State.COMPLETED);
        assertThat(restarted.rebuild().orElseThrow().completedAt()).isEqualTo(clock.instant());
        assertThat(database.listCollectionNames().into(new ArrayList<>()))
                .doesNotContain("products_rebuild", "orders_rebuild");
    }

    @Test
    void aRebuildThatNeverCreatedACollectionSwitchesToAnEmptyOne() {
        deliver(List.of(new Delivery(0, new ProductAddedEvent("1", "Product 1", 10), 0)));
        database.getCollection("orders").insertOne(new Document("_id", "gone-from-the-topic"));
        startReplay(1);

        deliver(List.of(new Delivery(0, new ProductAddedEvent("1", "Product 1", 10), 0)));

        assertThat(readModel.rebuild().orElseThrow().state()).isEqualTo(Rebuild.State.COMPLETED);
        assertThat(projection.handle(new FindProductQuery("1"))).contains(new ProductView("1", "Product 1", 10));
        assertThat(projection.handle(new FindOrderQuery("gone-from-the-topic"))).isEmpty();
    }

    @Test
    void aRunningRebuildContinuesIntoTheRebuildCollectionsAfterARestart() {
        deliver(List.of(new Delivery(0, new ProductAddedEvent("1", "Product 1", 10), 0),
                new Delivery(1, new OrderPlacedEvent("o-1", "1", 1), 1)));
        startReplay(2);

        projection = new ProductStockProjection(ReadModel.open(database, clock));
        deliver(List.of(new Delivery(0, new ProductAddedEvent("1", "Product 1", 10), 0)));

        assertThat(database.getCollection("products_rebuild").countDocuments()).isEqualTo(1);
        assertThat(projection.handle(new FindProductQuery("1"))).contains(new ProductView("1", "Product 1", 9));
    }

    @Test
    void aReplayStartedByAnotherInstanceIsSeenAtTheNextBatch() {
        deliver(List.of(new Delivery(0, new ProductAddedEvent("1", "Product 1", 10), 0)));

        ReadModel.open(database, clock).startRebuild(clock.instant(), Map.of(PARTITION, 2L));
        deliver(List.of(new Delivery(0, new ProductAddedEvent("1", "Product 1", 10), 0)));

        assertThat(database.getCollection("products_rebuild").countDocuments()).isEqualTo(1);
    }

    @Test
    void switchesOnlyOnceEverySegmentHasTakenTheReplayedRecords() {
        rebuildOverTwoSegmentsWhereSegmentZeroHasReplayedBoth();

        assertThat(readModel.rebuild().orElseThrow().state()).as("segment 1 has not caught up yet")
                .isEqualTo(Rebuild.State.RUNNING);

        deliver(List.of(new Delivery(1, new OrderPlacedEvent("o-1", "1", 1), 1)), 1);

        assertThat(readModel.rebuild().orElseThrow().state()).isEqualTo(Rebuild.State.COMPLETED);
        assertThat(projection.handle(new FindProductQuery("1"))).contains(new ProductView("1", "Product 1", 9));
    }

    @Test
    void aSegmentWithNoEventsOfItsOwnCountsAsCaughtUpFromItsCommittedPosition() {
        rebuildOverTwoSegmentsWhereSegmentZeroHasReplayedBoth();

        readModel.segmentCommittedAt(KafkaTrackingToken.newInstance(Map.of(PARTITION, 0L)), 1);
        assertThat(readModel.rebuild().orElseThrow().state()).as("segment 1 is not at the end yet")
                .isEqualTo(Rebuild.State.RUNNING);

        readModel.segmentCommittedAt(KafkaTrackingToken.newInstance(Map.of(PARTITION, 1L)), 1);

        assertThat(readModel.rebuild().orElseThrow().state()).isEqualTo(Rebuild.State.COMPLETED);
        assertThat(projection.handle(new FindProductQuery("1"))).contains(new ProductView("1", "Product 1", 9));
    }

    @Test
    void aBatchWrittenIntoTheRebuildWhileAnotherSegmentSwitchedReachesTheLiveCollections() {
        ProductStockProjection otherSegment = rebuildOverTwoSegmentsWhereSegmentOneHasReplayedTheProduct();

        // Segment 0's batch begins while the rebuild runs; segment 1 switches before it is written.
        deliver(otherSegment, List.of(new Delivery(1, new OrderPlacedEvent("o-1", "1", 1), 1)), 0,
                () -> readModel.switchToRebuilt());

        assertThat(projection.handle(new FindProductQuery("1"))).contains(new ProductView("1", "Product 1", 9));
        assertThat(projection.handle(new FindOrderQuery("o-1"))).isPresent();
    }

    @Test
    void aBatchWrittenIntoTheRebuildWhileAnotherInstanceRenamesTheCollectionsIsRetriedNotWrittenIntoThem() {
        ProductStockProjection otherSegment = rebuildOverTwoSegmentsWhereSegmentOneHasReplayedTheProduct();
        List<Delivery> order = List.of(new Delivery(1, new OrderPlacedEvent("o-1", "1", 1), 1));

        // Another instance marked the switch and is between its renames when this batch is written.
        assertThatThrownBy(() -> deliver(otherSegment, order, 0, () -> markSwitching(clock.instant())))
                .hasRootCauseMessage("The read model is switching to the rebuilt collections while this batch was "
                        + "written into them; the batch is retried once the switch is complete");
        assertThat(database.getCollection("orders").find(Filters.eq("_id", "o-1")).first())
                .as("nothing written into the live collections").isNull();

        readModel.switchToRebuilt();
        assertThat(readModel.rebuild().orElseThrow().state()).as("the switch is another instance's, not abandoned")
                .isEqualTo(Rebuild.State.SWITCHING);
        clock.advance(Duration.ofSeconds(31));
        readModel.segmentCommittedAt(KafkaTrackingToken.newInstance(Map.of(PARTITION, 1L)), 1);
        assertThat(readModel.rebuild().orElseThrow().state()).isEqualTo(Rebuild.State.COMPLETED);
        deliver(otherSegment, order, 0, () -> { });

        assertThat(projection.handle(new FindProductQuery("1"))).contains(new ProductView("1", "Product 1", 9));
        assertThat(projection.handle(new FindOrderQuery("o-1"))).isPresent();
    }

    @Test
    void aSwitchAbandonedAfterItsFirstRenameIsFinishedWithoutRenamingALaterWriteOverTheLiveOrders() {
        deliver(List.of(new Delivery(0, new ProductAddedEvent("1", "Product 1", 10), 0)));
        startReplay(2);
        deliver(List.of(new Delivery(0, new ProductAddedEvent("1", "Product 1", 10), 0)));
        projection.on(new OrderPlacedEvent("o-1", "1", 1), 1, PLACED_AT);
        // An instance renamed orders, recorded it and died; a late batch then created orders_rebuild anew.
        markSwitching(clock.instant());
        database.getCollection("orders_rebuild").renameCollection(new MongoNamespace("shop_read", "orders"),
                new RenameCollectionOptions().dropTarget(true));
        database.getCollection("replays").updateOne(Filters.eq("_id", "product-stock"),
                Updates.addToSet("renamed", "orders"));
        database.getCollection("orders_rebuild").insertOne(new Document("_id", "late"));
        clock.advance(Duration.ofSeconds(31));

        readModel.segmentCommittedAt(KafkaTrackingToken.newInstance(Map.of(PARTITION, 1L)), 0);

        assertThat(readModel.rebuild().orElseThrow().state()).isEqualTo(Rebuild.State.COMPLETED);
        assertThat(projection.handle(new FindOrderQuery("o-1"))).isPresent();
        assertThat(projection.handle(new FindProductQuery("1"))).contains(new ProductView("1", "Product 1", 9));
    }

    @Test
    void aReadInTheStandInsRenameGapWaitsForTheSwitchAndFindsTheRebuiltDocument() {
        rebuildProductOneWithAnOrderAndDropTheLiveProductsAsTheStandInsRenameDoes();
        AtomicBoolean switched = new AtomicBoolean();

        Document found = readModel.readLive((products, orders) -> {
            if (switched.compareAndSet(false, true)) {
                // The rest of the switch, on the instance doing it, while this reader is between its reads.
                CompletableFuture.runAsync(() -> {
                    database.getCollection("products_rebuild").renameCollection(
                            new MongoNamespace("shop_read", "products"),
                            new RenameCollectionOptions().dropTarget(true));
                    database.getCollection("replays").updateOne(Filters.eq("_id", "product-stock"), Updates.combine(
                            Updates.set("state", "COMPLETED"), Updates.set("completedAt", Date.from(clock.instant()))));
                });
            }
            return products.find(Filters.eq("_id", "1")).first();
        }, Objects::isNull);

        assertThat(found).as("read again once the switch was done").containsEntry("quantity", 9);
        assertThat(database.listCollectionNames().into(new ArrayList<>())).doesNotContain("products_rebuild");
    }

    @Test
    void aReadInTheGapOfASwitchThatNeverEndsIsAnsweredFromTheRebuiltCollection() {
        rebuildProductOneWithAnOrderAndDropTheLiveProductsAsTheStandInsRenameDoes();
        long started = System.nanoTime();

        assertThat(projection.handle(new FindProductQuery("1"))).contains(new ProductView("1", "Product 1", 9));
        assertThat(projection.handle(new FindAllProductsQuery())).containsExactly(new ProductView("1", "Product 1", 9));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("each read waited for the switch, then gave up")
                .isGreaterThanOrEqualTo(ReadModel.SWITCH_WAIT.multipliedBy(2));
    }

    @Test
    void aMissJustAfterASwitchIsReadAgainButAnOrdinaryMissIsNot() {
        deliver(List.of(new Delivery(0, new ProductAddedEvent("1", "Product 1", 10), 0)));
        startReplay(1);
        deliver(List.of(new Delivery(0, new ProductAddedEvent("1", "Product 1", 10), 0)));
        assertThat(readModel.rebuild().orElseThrow().state()).isEqualTo(Rebuild.State.COMPLETED);
        AtomicInteger reads = new AtomicInteger();
        BiFunction<MongoCollection<Document>, MongoCollection<Document>, Document> missedOnce =
                (products, orders) -> reads.incrementAndGet() == 1 ? null : products.find().first();

        assertThat(readModel.readLive(missedOnce, Objects::isNull)).as("the switch completed just now").isNotNull();
        assertThat(reads).hasValue(2);

        clock.advance(Duration.ofMinutes(5));
        reads.set(0);
        assertThat(readModel.readLive(missedOnce, Objects::isNull)).as("a switch minutes ago").isNull();
        assertThat(reads).hasValue(1);
        assertThat(projection.handle(new FindProductQuery("no-such-product"))).isEmpty();
    }

    /**
     * Product 1 and an order of it, rebuilt; then what the MongoDB stand-in does at the switch's rename of products:
     * the state says SWITCHING and the live products are dropped, the rebuilt ones not yet renamed over them.
     */
    private void rebuildProductOneWithAnOrderAndDropTheLiveProductsAsTheStandInsRenameDoes() {
        List<Delivery> topic = List.of(new Delivery(0, new ProductAddedEvent("1", "Product 1", 10), 0),
                new Delivery(1, new OrderPlacedEvent("o-1", "1", 1), 1));
        deliver(topic);
        startReplay(3);
        deliver(topic);
        markSwitching(clock.instant());
        database.getCollection("products").drop();
    }

    /** What another instance's switch has done once it marked itself and began: the state says SWITCHING. */
    private void markSwitching(Instant at) {
        database.getCollection("replays").updateOne(Filters.eq("_id", "product-stock"), Updates.combine(
                Updates.set("state", "SWITCHING"), Updates.set("switchStartedAt", Date.from(at))));
    }

    /** What {@code Replays.start} does with the processor stopped: reset (dropping the rebuild), then record. */
    private void startReplay(long endOffset) {
        projection.reset();
        readModel.startRebuild(clock.instant(), Map.of(PARTITION, endOffset));
    }

    /**
     * Product 1 and an order of it (offsets 0 and 1), then a rebuild over segments 0 and 1 in which segment 0 has
     * replayed both records and segment 1 nothing yet.
     */
    private void rebuildOverTwoSegmentsWhereSegmentZeroHasReplayedBoth() {
        List<Delivery> both = List.of(new Delivery(0, new ProductAddedEvent("1", "Product 1", 10), 0),
                new Delivery(1, new OrderPlacedEvent("o-1", "1", 1), 1));
        deliver(both);
        projection.reset();
        readModel.startRebuild(clock.instant(), Map.of(PARTITION, 2L), List.of(0, 1));
        deliver(both, 0);
    }

    /**
     * Product 1 (offset 0), then a rebuild over segments 0 and 1 up to offset 1 in which segment 1 has replayed the
     * product; answers the projection of segment 0, on an instance of its own.
     */
    private ProductStockProjection rebuildOverTwoSegmentsWhereSegmentOneHasReplayedTheProduct() {
        deliver(List.of(new Delivery(0, new ProductAddedEvent("1", "Product 1", 10), 0)));
        projection.reset();
        readModel.startRebuild(clock.instant(), Map.of(PARTITION, 1L), List.of(0, 1));
        deliver(List.of(new Delivery(0, new ProductAddedEvent("1", "Product 1", 10), 0)), 1);
        return new ProductStockProjection(ReadModel.open(database, clock));
    }

    /** Hands the records to the projection as one batch of the tracking processor, tokens as during a replay. */
    private void deliver(List<Delivery> records) {
        deliver(projection, records, null, () -> { });
    }

    private void deliver(List<Delivery> records, int segment) {
        deliver(projection, records, segment, () -> { });
    }

    /** As a batch of {@code segment} (none: no processor), running {@code meanwhile} before the batch is written. */
    private void deliver(ProductStockProjection projection, List<Delivery> records, Integer segment,
                         Runnable meanwhile) {
        List<TrackedEventMessage<?>> batch = new ArrayList<>();
        for (Delivery record : records) {
            var token = ReplayToken.createReplayToken(KafkaTrackingToken.newInstance(Map.of(PARTITION, 1_000L)),
                    KafkaTrackingToken.newInstance(Map.of(PARTITION, record.offset())));
            batch.add(new GenericTrackedEventMessage<>(token, GenericEventMessage.asEventMessage(record.event())));
        }
        var unitOfWork = new BatchingUnitOfWork<>(batch);
        if (segment != null) {
            unitOfWork.resources().put("Processor[" + ProductStockProjection.PROCESSING_GROUP + "]/SegmentId", segment);
        }
        var result = unitOfWork.executeWithResult(() -> {
            EventMessage<?> message = unitOfWork.getMessage();
            long sequence = records.get(batch.indexOf(message)).sequence();
            projection.beforeEventOfBatch(unitOfWork);
            if (message.getPayload() instanceof ProductAddedEvent added) {
                projection.on(added, sequence);
            } else {
                projection.on((OrderPlacedEvent) message.getPayload(), sequence, PLACED_AT);
            }
            if (unitOfWork.isLastMessage()) {
                meanwhile.run();
            }
            projection.afterEventOfBatch(unitOfWork);
            return null;
        });
        if (result.isExceptional()) {
            throw new IllegalStateException("The batch failed (rolled back, retried by the processor)",
                    result.exceptionResult());
        }
    }
}
