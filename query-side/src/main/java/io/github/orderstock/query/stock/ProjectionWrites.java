package io.github.orderstock.query.stock;

import java.util.ArrayList;
import java.util.List;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.WriteModel;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.bson.Document;

/**
 * The projection's writes for one batch of events, sent as one ordered bulk write per collection when the batch's
 * last event was handled: a round trip per batch instead of two per event.
 * <p>
 * The flush runs while the batch is still being processed, before the unit of work commits, because the tracking
 * processor stores its token in the first prepare-commit step: writes flushed after it could be lost by a crash
 * after the token moved on. Every write is idempotent on its own (guarded by the stream's sequence number, or an
 * insert-if-absent), so a batch that is processed again after a failure or a crash changes nothing twice.
 */
final class ProjectionWrites {

    private static final String RESOURCE = ProjectionWrites.class.getName();

    private final List<WriteModel<Document>> products = new ArrayList<>();
    private final List<WriteModel<Document>> orders = new ArrayList<>();

    /** The writes of the batch being handled; with no unit of work (a test calling a handler) they apply at once. */
    static void add(ProductStockProjection.Target target, WriteModel<Document> write,
                    MongoCollection<Document> products, MongoCollection<Document> orders) {
        if (!CurrentUnitOfWork.isStarted()) {
            (target == ProductStockProjection.Target.PRODUCTS ? products : orders)
                    .bulkWrite(List.of(write), new BulkWriteOptions().ordered(true));
            return;
        }
        ProjectionWrites writes = CurrentUnitOfWork.get().root()
                .getOrComputeResource(RESOURCE, key -> new ProjectionWrites());
        (target == ProductStockProjection.Target.PRODUCTS ? writes.products : writes.orders).add(write);
    }

    /** Sends the batch's writes if the event just handled was the last of its batch. */
    static void flushIfLastOfBatch(UnitOfWork<?> unitOfWork, MongoCollection<Document> products,
                                   MongoCollection<Document> orders) {
        if (unitOfWork instanceof BatchingUnitOfWork<?> batch && !batch.isLastMessage()) {
            return;
        }
        ProjectionWrites writes = unitOfWork.root().getResource(RESOURCE);
        if (writes == null) {
            return;
        }
        unitOfWork.root().resources().remove(RESOURCE);
        // Orders first: a product's stock never shows an order that /orders/{id} cannot find yet.
        if (!writes.orders.isEmpty()) {
            orders.bulkWrite(writes.orders, new BulkWriteOptions().ordered(true));
        }
        if (!writes.products.isEmpty()) {
            products.bulkWrite(writes.products, new BulkWriteOptions().ordered(true));
        }
    }
}
