package io.github.orderstock.query.rejected;

import java.util.Date;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.github.orderstock.query.stock.ProductStockProjection;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Reports every rejected record three ways: a warning in the log, the counter
 * {@code orderstock.projection.rejected.records} (tag {@code kind}), and one document per record in the
 * {@code rejected_records} collection. It runs in the projection's processor, so the projection steps over the
 * record and every later event is applied.
 */
@Component
@ProcessingGroup(ProductStockProjection.PROCESSING_GROUP)
public class RejectedRecords {

    private static final Logger log = LoggerFactory.getLogger(RejectedRecords.class);
    public static final String METRIC = "orderstock.projection.rejected.records";

    private final MongoCollection<Document> deadLetters;
    private final MeterRegistry meters;

    public RejectedRecords(MongoDatabase readModel, MeterRegistry meters) {
        this.deadLetters = readModel.getCollection("rejected_records");
        this.meters = meters;
    }

    @EventHandler
    void on(RejectedRecord record) {
        log.warn("Skipped record {} (key {}, {} bytes): {}. It is kept in rejected_records; the projection goes on "
                + "with the next record.", record.id(), record.key(), record.size(), record.reason());
        meters.counter(METRIC, "kind", record.kind()).increment();
        try {
            deadLetters.insertOne(new Document("_id", record.id())
                    .append("topic", record.topic())
                    .append("partition", record.partition())
                    .append("offset", record.offset())
                    .append("key", record.key())
                    .append("kind", record.kind())
                    .append("reason", record.reason())
                    .append("size", record.size())
                    .append("preview", record.preview())
                    .append("rejectedAt", new Date()));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }
}
