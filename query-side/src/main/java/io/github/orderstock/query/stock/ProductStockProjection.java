package io.github.orderstock.query.stock;

import static com.mongodb.client.model.Filters.eq;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.mongodb.client.model.Sorts;
import io.github.orderstock.events.OrderPlacedEvent;
import io.github.orderstock.events.ProductAddedEvent;
import io.github.orderstock.events.ProductRestockedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.queryhandling.QueryHandler;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Keeps the {@code products} collection (the original app's documents: {@code productId}, {@code quantity}, plus
 * {@code name} and {@code lastSequence}) and an {@code orders} collection; during a replay it writes their rebuild
 * copies instead, and readers keep the last complete view ({@link ReadModel}).
 * <p>
 * Kafka delivers at least once, so every change is guarded by the position of the event in its product's stream: a
 * product document only takes the event right after the last one it took ({@code lastSequence}). A redelivered event
 * changes nothing; an event that arrives ahead of a missing one waits, is reported, and is taken when the stream is
 * sent again. The writes of a batch of events go to MongoDB together ({@link ProjectionWrites}), around every event
 * of its processor ({@link ProjectionBatches}).
 */
@Component
@ProcessingGroup(ProductStockProjection.PROCESSING_GROUP)
public class ProductStockProjection {

    public static final String PROCESSING_GROUP = "product-stock";

    private final ReadModel readModel;

    public ProductStockProjection(ReadModel readModel) {
        this.readModel = readModel;
    }

    @EventHandler
    void on(ProductAddedEvent event, @SequenceNumber long sequence) {
        ProjectionWrites writes = ProjectionWrites.current();
        writes.newProduct(new Document("_id", event.productId())
                .append("productId", event.productId())
                .append("name", event.name())
                .append("quantity", event.quantity())
                .append("lastSequence", sequence));
        writes.flushIfNoBatch(readModel.target());
    }

    @EventHandler
    void on(ProductRestockedEvent event, @SequenceNumber long sequence) {
        ProjectionWrites writes = ProjectionWrites.current();
        writes.stockChange(event.productId(), sequence, event.quantity());
        writes.flushIfNoBatch(readModel.target());
    }

    @EventHandler
    void on(OrderPlacedEvent event, @SequenceNumber long sequence, @Timestamp Instant placedAt) {
        ProjectionWrites writes = ProjectionWrites.current();
        writes.newOrder(new Document("_id", event.orderId())
                .append("orderId", event.orderId())
                .append("productId", event.productId())
                .append("quantity", event.quantity())
                .append("placedAt", Date.from(placedAt)));
        writes.stockChange(event.productId(), sequence, -event.quantity());
        writes.flushIfNoBatch(readModel.target());
    }

    /**
     * Drops the rebuild collections, never the live ones: readers keep the last complete view until the rebuilt one
     * replaces it ({@link ReadModel}). Dropping rather than deleting document by document: on the stand-in, deleting a
     * million orders took minutes. The collections come back with the first write.
     */
    @ResetHandler
    void reset() {
        readModel.dropRebuild();
    }

    @QueryHandler
    Optional<ProductView> handle(FindProductQuery query) {
        Document product = readModel.readLive((products, orders) -> products.find(eq("_id", query.productId()))
                .first(), Objects::isNull);
        return Optional.ofNullable(product).map(ProductStockProjection::productView);
    }

    @QueryHandler
    List<ProductView> handle(FindAllProductsQuery query) {
        return readModel.readLive((products, orders) -> products.find().sort(Sorts.ascending("_id"))
                .map(ProductStockProjection::productView).into(new ArrayList<>()), List::isEmpty);
    }

    @QueryHandler
    Optional<OrderView> handle(FindOrderQuery query) {
        Document order = readModel.readLive((products, orders) -> orders.find(eq("_id", query.orderId())).first(),
                Objects::isNull);
        return Optional.ofNullable(order).map(found -> new OrderView(found.getString("orderId"),
                found.getString("productId"), found.getInteger("quantity"), found.getDate("placedAt").toInstant()));
    }

    /**
     * At the first event of a batch, re-reads where to write (a replay may have started, or switched, on another
     * instance); after its last event, sends the batch's writes ({@link ProjectionWrites}) and, during a replay,
     * switches to the rebuilt collections once the batch reached the end the topic had when the replay started.
     */
    void beforeEventOfBatch(UnitOfWork<?> unitOfWork) {
        if (ProjectionWrites.isFirstOfBatch(unitOfWork)) {
            readModel.refresh();
        }
    }

    /** See {@link #beforeEventOfBatch}. */
    void afterEventOfBatch(UnitOfWork<?> unitOfWork) {
        if (!ProjectionWrites.isLastOfBatch(unitOfWork)) {
            return;
        }
        ReadModel.Target target = readModel.target();
        ProjectionWrites writes = ProjectionWrites.flush(unitOfWork, target.products(), target.orders());
        if (writes != null && target.rebuild() && !readModel.stillRebuilding()) {
            if (readModel.switching()) {
                // No write into the live collections while they are being replaced: the stand-in's rename is not
                // atomic, and a collection created in its midst fails it. The processor retries the batch.
                throw new IllegalStateException("The read model is switching to the rebuilt collections while this "
                        + "batch was written into them; the batch is retried once the switch is complete");
            }
            // Another segment switched to the rebuilt collections while this batch was written into them: the writes
            // may have missed the renamed collections, so they go to the live ones too (what is there changes nothing).
            writes.flush(readModel.products(), readModel.orders());
            // Writes that missed them created the rebuild collections anew; nobody reads those, and a watcher would
            // take them for a rebuild still running.
            readModel.dropRebuild();
        }
        if (unitOfWork.getMessage() instanceof TrackedEventMessage<?> tracked) {
            readModel.switchIfRebuilt(tracked.trackingToken(), segmentOf(unitOfWork));
        }
    }

    /** The segment of the processor's thread that handles this batch; 0 outside a processor (tests). */
    private static int segmentOf(UnitOfWork<?> unitOfWork) {
        Object segment = unitOfWork.root().getResource("Processor[" + PROCESSING_GROUP + "]/SegmentId");
        return segment instanceof Integer id ? id : 0;
    }

    private static ProductView productView(Document product) {
        return new ProductView(product.getString("productId"), product.getString("name"),
                product.getInteger("quantity"));
    }
}
