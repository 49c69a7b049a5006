package io.github.orderstock.query.stock;

import static com.mongodb.client.model.Filters.in;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.WriteModel;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The projection's writes for one batch of events, sent as one ordered bulk write per collection when the batch's
 * last event was handled: a round trip per batch instead of two per event.
 * <p>
 * The flush runs while the batch is still being processed, before the unit of work commits, because the tracking
 * processor stores its token in the first prepare-commit step: writes flushed after it could be lost by a crash
 * after the token moved on. Every write is idempotent on its own (a stock change applies only to the sequence number
 * right after the product's {@code lastSequence}, a document is inserted only if absent), so a batch processed again
 * after a failure or a crash changes nothing twice.
 */
final class ProjectionWrites {

    private static final Logger log = LoggerFactory.getLogger(ProjectionWrites.class);
    private static final String RESOURCE = ProjectionWrites.class.getName();

    private final List<WriteModel<Document>> products = new ArrayList<>();
    private final List<WriteModel<Document>> orders = new ArrayList<>();
    private final Map<String, Long> highestStockChange = new HashMap<>();
    private int stockChanges;

    /** The writes of the batch being handled; with no unit of work (a test calling a handler) they apply at once. */
    static ProjectionWrites current() {
        if (!CurrentUnitOfWork.isStarted()) {
            return new ProjectionWrites();
        }
        return CurrentUnitOfWork.get().root().getOrComputeResource(RESOURCE, key -> new ProjectionWrites());
    }

    void product(WriteModel<Document> write) {
        products.add(write);
    }

    void stockChange(String productId, long sequence, WriteModel<Document> write) {
        products.add(write);
        highestStockChange.merge(productId, sequence, Math::max);
        stockChanges++;
    }

    void order(WriteModel<Document> write) {
        orders.add(write);
    }

    /** Applies the writes now when no unit of work collects them. */
    void flushIfNoBatch(MongoCollection<Document> productCollection, MongoCollection<Document> orderCollection) {
        if (!CurrentUnitOfWork.isStarted()) {
            flush(productCollection, orderCollection);
        }
    }

    /** Sends the batch's writes if the event just handled was the last of its batch. */
    static void flushIfLastOfBatch(UnitOfWork<?> unitOfWork, MongoCollection<Document> products,
                                   MongoCollection<Document> orders) {
        if (unitOfWork instanceof BatchingUnitOfWork<?> batch && !batch.isLastMessage()) {
            return;
        }
        ProjectionWrites writes = unitOfWork.root().getResource(RESOURCE);
        if (writes != null) {
            unitOfWork.root().resources().remove(RESOURCE);
            writes.flush(products, orders);
        }
    }

    private void flush(MongoCollection<Document> productCollection, MongoCollection<Document> orderCollection) {
        // Orders first: a product's stock never shows an order that /orders/{id} cannot find yet.
        if (!orders.isEmpty()) {
            orderCollection.bulkWrite(orders, new BulkWriteOptions().ordered(true));
        }
        if (products.isEmpty()) {
            return;
        }
        BulkWriteResult result = productCollection.bulkWrite(products, new BulkWriteOptions().ordered(true));
        if (result.getMatchedCount() < stockChanges) {
            reportGaps(productCollection);
        }
    }

    /**
     * Some stock changes matched nothing: redeliveries (normal), or an event that arrived before the one preceding it
     * in its stream. The latter waits for the publisher to send the stream again from the missing event; say so.
     */
    private void reportGaps(MongoCollection<Document> productCollection) {
        Map<String, Long> applied = new HashMap<>();
        for (Document product : productCollection.find(in("_id", highestStockChange.keySet()))) {
            applied.put(product.getString("_id"), ((Number) product.get("lastSequence")).longValue());
        }
        highestStockChange.forEach((productId, highest) -> {
            Long last = applied.get(productId);
            if (last == null || last < highest) {
                log.warn("Product '{}' has events up to sequence number {} but its stream on Kafka continues only "
                        + "after {}: the events in between have not arrived. Later events wait until they do (the "
                        + "command side publishes every stream again from its first unacknowledged event); if this "
                        + "persists, events are missing from the topic.", productId, highest,
                        last == null ? "nothing (no ProductAdded yet)" : String.valueOf(last));
            }
        });
    }
}
