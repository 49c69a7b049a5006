package io.github.orderstock.query.stock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoDatabase;
import io.github.orderstock.events.OrderPlacedEvent;
import io.github.orderstock.events.ProductAddedEvent;
import io.github.orderstock.events.ProductRestockedEvent;
import io.github.orderstock.support.testing.InMemoryMongo;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Calls the handlers directly, as the tracking processor would, against the MongoDB stand-in. */
class ProductStockProjectionTest {

    private static final Instant PLACED_AT = Instant.parse("2026-11-24T12:00:00Z");

    @RegisterExtension
    final InMemoryMongo mongo = InMemoryMongo.forEachTest();
    private MongoDatabase database;
    private ProductStockProjection projection;

    @BeforeEach
    void setUp() {
        database = mongo.database("shop_read");
        projection = new ProductStockProjection(ReadModel.open(database, Clock.systemUTC()));
    }

    @Test
    void keepsTheOriginalDocumentShape() {
        projection.on(new ProductAddedEvent("1", "Product 1", 10), 0);

        assertThat(database.getCollection("products").find().first()).isEqualTo(new Document("_id", "1")
                .append("productId", "1").append("name", "Product 1").append("quantity", 10)
                .append("lastSequence", 0L));
    }

    @Test
    void appliesEachEventOnceWhenTwoWritersApplyTheSameStreamAtOnce() throws Exception {
        // A former owner of a segment that stalled past its claim, and the instance that took the segment over.
        projection.on(new ProductAddedEvent("1", "Product 1", 10_000), 0);
        ProductStockProjection other = new ProductStockProjection(ReadModel.open(database, Clock.systemUTC()));
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        for (ProductStockProjection writer : List.of(projection, other)) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int sequence = 1; sequence <= 300; sequence++) {
                    writer.on(new OrderPlacedEvent("o-" + sequence, "1", 1), sequence, PLACED_AT);
                }
            });
            thread.start();
            writers.add(thread);
        }
        go.countDown();
        for (Thread writer : writers) {
            writer.join(60_000);
        }

        assertStockAndOrders(9_700, 300);
    }

    @Test
    void takesAPlacedOrderFromTheStockAndRecordsTheOrder() {
        addProductOne();

        placeOrder("o-1", 1, 1);

        assertStockOfProductOne(9);
        assertThat(projection.handle(new FindOrderQuery("o-1")))
                .contains(new OrderView("o-1", "1", 1, PLACED_AT));
    }

    @Test
    void addsRestockedUnits() {
        addProductOne();

        projection.on(new ProductRestockedEvent("1", 5), 1);

        assertStockOfProductOne(15);
    }

    @Test
    void writesABatchOfEventsTogetherAfterItsLastEventAndAppliesARepeatedBatchOnce() throws Exception {
        List<EventMessage<?>> batch = List.of(
                GenericEventMessage.asEventMessage(new ProductAddedEvent("1", "Product 1", 10)),
                GenericEventMessage.asEventMessage(new OrderPlacedEvent("o-1", "1", 1)),
                GenericEventMessage.asEventMessage(new OrderPlacedEvent("o-2", "1", 2)));
        List<Long> productsSeenWhileHandling = new ArrayList<>();

        for (int delivery = 0; delivery < 2; delivery++) {
            var unitOfWork = new BatchingUnitOfWork<>(batch);
            unitOfWork.executeWithResult(() -> {
                EventMessage<?> message = unitOfWork.getMessage();
                long sequence = batch.indexOf(message);
                productsSeenWhileHandling.add(database.getCollection("products").countDocuments());
                projection.beforeEventOfBatch(unitOfWork);
                if (message.getPayload() instanceof ProductAddedEvent added) {
                    projection.on(added, sequence);
                } else {
                    projection.on((OrderPlacedEvent) message.getPayload(), sequence, PLACED_AT);
                }
                projection.afterEventOfBatch(unitOfWork);
                return null;
            });
        }

        assertThat(productsSeenWhileHandling).containsExactly(0L, 0L, 0L, 1L, 1L, 1L);
        assertStockAndOrders(7, 2);
    }

    @Test
    void writesABatchOverMoreProductsThanOneRoundTripTakesInSeveralAndAppliesAllOfIt() {
        int count = 2 * ProjectionWrites.PER_ROUND_TRIP + 50;
        List<EventMessage<?>> batch = new ArrayList<>();
        Map<EventMessage<?>, Long> sequences = new HashMap<>();
        for (int p = 0; p < count; p++) {
            EventMessage<?> added = GenericEventMessage.asEventMessage(new ProductAddedEvent("p" + p, "P" + p, 10));
            EventMessage<?> ordered = GenericEventMessage.asEventMessage(new OrderPlacedEvent("o" + p, "p" + p, 1));
            batch.addAll(List.of(added, ordered));
            sequences.put(added, 0L);
            sequences.put(ordered, 1L);
        }
        var unitOfWork = new BatchingUnitOfWork<>(batch);
        var result = unitOfWork.executeWithResult(() -> {
            EventMessage<?> message = unitOfWork.getMessage();
            projection.beforeEventOfBatch(unitOfWork);
            if (message.getPayload() instanceof ProductAddedEvent added) {
                projection.on(added, sequences.get(message));
            } else {
                projection.on((OrderPlacedEvent) message.getPayload(), sequences.get(message), PLACED_AT);
            }
            projection.afterEventOfBatch(unitOfWork);
            return null;
        });

        assertThat(result.isExceptional()).as("the batch failed: %s", result.optionalExceptionResult()).isFalse();
        assertThat(ProjectionWrites.parts(List.copyOf(sequences.values())))
                .hasSize(2 * count / ProjectionWrites.PER_ROUND_TRIP)
                .allSatisfy(part -> assertThat(part).hasSizeLessThanOrEqualTo(ProjectionWrites.PER_ROUND_TRIP));
        assertThat(projection.handle(new FindAllProductsQuery())).hasSize(count)
                .allSatisfy(product -> assertThat(product.quantity()).isEqualTo(9));
        assertThat(database.getCollection("orders").countDocuments()).isEqualTo(count);
    }

    @Test
    void takesAnEventThatArrivedAheadOfAMissingOneOnlyWhenTheStreamIsSentAgain() {
        addProductOne();

        placeOrder("o-2", 2, 2);
        assertStockOfProductOne(10);

        placeOrder("o-1", 1, 1);
        placeOrder("o-2", 2, 2);
        assertStockOfProductOne(7);
    }

    @Test
    void appliesADuplicateDeliveryOnlyOnce() {
        addProductOne();
        placeOrder("o-1", 1, 1);
        projection.on(new ProductRestockedEvent("1", 5), 2);

        addProductOne();
        placeOrder("o-1", 1, 1);
        projection.on(new ProductRestockedEvent("1", 5), 2);

        assertStockAndOrders(14, 1);
    }

    @Test
    void ignoresAnOlderEventRedeliveredAfterNewerOnes() {
        addProductOne();
        placeOrder("o-1", 1, 1);
        placeOrder("o-2", 2, 2);

        placeOrder("o-1", 1, 1);

        assertStockOfProductOne(7);
    }

    @Test
    void answersUnknownIdsWithNothing() {
        assertThat(projection.handle(new FindProductQuery("nope"))).isEmpty();
        assertThat(projection.handle(new FindOrderQuery("nope"))).isEmpty();
    }

    @Test
    void listsAllProductsById() {
        projection.on(new ProductAddedEvent("2", "Tea", 5), 0);
        addProductOne();

        assertThat(projection.handle(new FindAllProductsQuery()))
                .containsExactly(new ProductView("1", "Product 1", 10), new ProductView("2", "Tea", 5));
    }

    @Test
    void aBatchWrittenIntoTheRebuildWhileAnotherSegmentSwitchesReachesTheLiveViewAndLeavesNoRebuildBehind()
            throws Exception {
        ReadModel readModel = ReadModel.open(database, Clock.systemUTC());
        projection = new ProductStockProjection(readModel);
        readModel.startRebuild(Instant.now(), java.util.Map.of(), List.of(0, 1));
        ReadModel otherSegment = ReadModel.open(database, Clock.systemUTC());
        List<EventMessage<?>> batch = List.of(
                GenericEventMessage.asEventMessage(new ProductAddedEvent("1", "Product 1", 10)),
                GenericEventMessage.asEventMessage(new OrderPlacedEvent("o-1", "1", 1)));

        var unitOfWork = new BatchingUnitOfWork<>(batch);
        unitOfWork.executeWithResult(() -> {
            EventMessage<?> message = unitOfWork.getMessage();
            projection.beforeEventOfBatch(unitOfWork);
            if (message.getPayload() instanceof ProductAddedEvent added) {
                projection.on(added, 0);
                // The other segment finds the rebuild complete and switches while this batch is being handled.
                otherSegment.switchToRebuilt();
            } else {
                projection.on((OrderPlacedEvent) message.getPayload(), 1, PLACED_AT);
            }
            projection.afterEventOfBatch(unitOfWork);
            return null;
        });

        assertStockOfProductOne(9);
        assertThat(projection.handle(new FindOrderQuery("o-1"))).isPresent();
        assertThat(database.listCollectionNames().into(new ArrayList<>()))
                .doesNotContain("products_rebuild", "orders_rebuild");
    }

    @Test
    void aResetForgetsAHalfBuiltRebuildButLeavesTheLiveViewAlone() {
        addProductOne();
        placeOrder("o-1", 1, 1);
        database.getCollection("products_rebuild").insertOne(new Document("_id", "half-built"));

        projection.reset();

        assertThat(database.listCollectionNames().into(new ArrayList<>())).doesNotContain("products_rebuild");
        assertStockOfProductOne(9);
        assertThat(projection.handle(new FindOrderQuery("o-1"))).isPresent();
    }

    /** Product "1" with 10 in stock, the first event of its stream. */
    private void addProductOne() {
        projection.on(new ProductAddedEvent("1", "Product 1", 10), 0);
    }

    /** An order for product "1", event {@code sequence} of its stream. */
    private void placeOrder(String orderId, int quantity, long sequence) {
        projection.on(new OrderPlacedEvent(orderId, "1", quantity), sequence, PLACED_AT);
    }

    /** Product "1" has this stock, and the read model holds this many orders. */
    private void assertStockAndOrders(int stockOfProductOne, long orders) {
        assertStockOfProductOne(stockOfProductOne);
        assertThat(database.getCollection("orders").countDocuments()).isEqualTo(orders);
    }

    private void assertStockOfProductOne(int quantity) {
        assertThat(projection.handle(new FindProductQuery("1"))).contains(new ProductView("1", "Product 1", quantity));
    }
}
