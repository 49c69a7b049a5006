package io.github.orderstock.query.stock;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import io.github.orderstock.support.mongo.Inserts;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The projection's writes for one batch of events, sent when the batch's last event was handled: inserts of the
 * batch's new orders, bulk writes of its new products, reads of the products it changes and bulk writes of their new
 * stock, each round trip for at most {@link #PER_ROUND_TRIP} documents. A few round trips per batch instead of two
 * per event, and per product one update per batch. Each round trip must end within the MongoDB read timeout
 * ({@code app.mongo.read-timeout}, 3 s): one bulk write of a whole batch over 1,000 products took longer on the
 * stand-in, and the processor retried the same batch, which timed out again, for ever.
 * <p>
 * Each stock change applies only when its sequence number is the one right after the product's {@code lastSequence}
 * as read in this flush: a redelivered event (at or below it) changes nothing, and an event ahead of a missing one
 * waits (it is reported, and taken when the stream is sent again). Each product has one writer at a time (its
 * segment's owner), but an owner that stalled past its claim may still write once another instance took the segment
 * over (ADR 11): every update is a compare and set on the {@code lastSequence} it was computed from, filtered by
 * {@code _id} first, and whatever another writer changed meanwhile is read and applied again.
 * <p>
 * The flush runs while the batch is still being processed, before the unit of work commits, because the tracking
 * processor stores its token in the first prepare-commit step: writes flushed after it could be lost by a crash
 * after the token moved on. A batch processed again after a failure or a crash changes nothing twice.
 */
final class ProjectionWrites {

    private static final Logger log = LoggerFactory.getLogger(ProjectionWrites.class);
    private static final String RESOURCE = ProjectionWrites.class.getName();
    private static final int MAX_ATTEMPTS = 10;
    /** Documents read or written in one round trip to MongoDB at most. */
    static final int PER_ROUND_TRIP = 100;

    /** A change of a product's stock by the event at {@code sequence} of its stream. */
    private record StockChange(String productId, long sequence, int delta) {
    }

    private final List<WriteModel<Document>> newProducts = new ArrayList<>();
    private final List<Document> newOrders = new ArrayList<>();
    private final List<StockChange> stockChanges = new ArrayList<>();

    /** The writes of the batch being handled; with no unit of work (a test calling a handler) they apply at once. */
    static ProjectionWrites current() {
        if (!CurrentUnitOfWork.isStarted()) {
            return new ProjectionWrites();
        }
        return CurrentUnitOfWork.get().root().getOrComputeResource(RESOURCE, key -> new ProjectionWrites());
    }

    void newProduct(Document product) {
        newProducts.add(insertOnce(product));
    }

    void newOrder(Document order) {
        newOrders.add(order);
    }

    void stockChange(String productId, long sequence, int delta) {
        stockChanges.add(new StockChange(productId, sequence, delta));
    }

    /** Applies the writes now when no unit of work collects them. */
    void flushIfNoBatch(ReadModel.Target target) {
        if (!CurrentUnitOfWork.isStarted()) {
            flush(target.products(), target.orders());
        }
    }

    static boolean isFirstOfBatch(UnitOfWork<?> unitOfWork) {
        return !(unitOfWork instanceof BatchingUnitOfWork<?> batch) || batch.isFirstMessage();
    }

    static boolean isLastOfBatch(UnitOfWork<?> unitOfWork) {
        return !(unitOfWork instanceof BatchingUnitOfWork<?> batch) || batch.isLastMessage();
    }

    /**
     * Sends the writes the batch of {@code unitOfWork} collected; called after its last event. Answers them (null if
     * there were none), to be sent again elsewhere if the read model switched meanwhile.
     */
    static ProjectionWrites flush(UnitOfWork<?> unitOfWork, MongoCollection<Document> products,
                                  MongoCollection<Document> orders) {
        ProjectionWrites writes = unitOfWork.root().getResource(RESOURCE);
        if (writes != null) {
            unitOfWork.root().resources().remove(RESOURCE);
            writes.flush(products, orders);
        }
        return writes;
    }

    /** Sends the same writes again, to other collections; what is there already changes nothing. */
    void flush(MongoCollection<Document> products, MongoCollection<Document> orders) {
        // Orders first: a product's stock never shows an order that /orders/{id} cannot find yet.
        for (List<Document> part : parts(newOrders)) {
            Inserts.insertNew(orders, part); // a redelivered event changes nothing
        }
        for (List<WriteModel<Document>> part : parts(newProducts)) {
            products.bulkWrite(part, new BulkWriteOptions().ordered(true));
        }
        Map<String, List<StockChange>> byProduct = new LinkedHashMap<>();
        stockChanges.forEach(change -> byProduct.computeIfAbsent(change.productId(), id -> new ArrayList<>())
                .add(change));
        byProduct.values().forEach(changes -> changes.sort(Comparator.comparingLong(StockChange::sequence)));
        for (List<String> productIds : parts(List.copyOf(byProduct.keySet()))) {
            Map<String, List<StockChange>> part = new LinkedHashMap<>();
            productIds.forEach(productId -> part.put(productId, byProduct.get(productId)));
            for (int attempt = 1; !applyStockChanges(products, part); attempt++) {
                // Another writer moved a product meanwhile: a segment taken over while its former owner still wrote.
                if (attempt >= MAX_ATTEMPTS) {
                    throw new IllegalStateException("Products changed by another writer " + attempt + " times in a "
                            + "row while applying one batch; the batch is retried");
                }
            }
        }
    }

    /** {@code items} in parts of at most {@link #PER_ROUND_TRIP}, in their order. */
    static <T> List<List<T>> parts(List<T> items) {
        List<List<T>> parts = new ArrayList<>();
        for (int from = 0; from < items.size(); from += PER_ROUND_TRIP) {
            parts.add(items.subList(from, Math.min(items.size(), from + PER_ROUND_TRIP)));
        }
        return parts;
    }

    /**
     * Reads the products' {@code lastSequence} and applies to each the changes right after it, each update only if
     * {@code lastSequence} is still what was read (compare and set, keyed by {@code _id}). Answers false when some
     * product was changed by another writer in between; applying again then takes only what is still missing.
     */
    private static boolean applyStockChanges(MongoCollection<Document> products,
                                             Map<String, List<StockChange>> byProduct) {
        Map<String, Long> lastSequence = new HashMap<>();
        for (Document product : products.find(in("_id", byProduct.keySet()))
                .projection(new Document("lastSequence", 1))) {
            lastSequence.put(product.getString("_id"), ((Number) product.get("lastSequence")).longValue());
        }
        List<WriteModel<Document>> updates = new ArrayList<>(byProduct.size());
        byProduct.forEach((productId, changes) -> {
            Long last = lastSequence.get(productId);
            if (last == null) {
                reportGap(productId, null, changes);
                return;
            }
            long applied = last;
            int delta = 0;
            for (StockChange change : changes) {
                if (change.sequence() == applied + 1) {
                    delta += change.delta();
                    applied = change.sequence();
                } else if (change.sequence() > applied + 1) {
                    reportGap(productId, applied, changes);
                    break;
                }
            }
            if (applied > last) {
                updates.add(new UpdateOneModel<>(and(eq("_id", productId), eq("lastSequence", last)),
                        Updates.combine(Updates.inc("quantity", delta), Updates.set("lastSequence", applied))));
            }
        });
        if (updates.isEmpty()) {
            return true;
        }
        return products.bulkWrite(updates, new BulkWriteOptions().ordered(true)).getMatchedCount() == updates.size();
    }

    /** Inserts the document unless one with its {@code _id} exists: a redelivered event changes nothing. */
    private static UpdateOneModel<Document> insertOnce(Document document) {
        return new UpdateOneModel<>(eq("_id", document.get("_id")), new Document("$setOnInsert", document),
                new UpdateOptions().upsert(true));
    }

    private static void reportGap(String productId, Long applied, List<StockChange> changes) {
        long highest = changes.stream().mapToLong(StockChange::sequence).max().orElse(-1);
        log.warn("Product '{}' has events up to sequence number {} but its stream on Kafka continues only after {}: "
                + "the events in between have not arrived. Later events wait until they do (the command side sends "
                + "every stream again from its first unacknowledged event); if this persists, events are missing "
                + "from the topic.", productId, highest,
                applied == null ? "nothing (no ProductAdded yet)" : String.valueOf(applied));
    }
}
