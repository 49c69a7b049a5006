package io.github.orderstock.command.publish;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;

/**
 * How far each product's stream is known to be on Kafka: one document per product, keyed by {@code _id}, holding the
 * highest sequence number the broker acknowledged. A product is registered (at -1) before its first event is stored,
 * so after a crash every stream with events can be found and its unpublished tail sent.
 */
class PublicationProgress {

    static final String COLLECTION = "publication_progress";
    private static final String PUBLISHED_UP_TO = "publishedUpTo";

    private final MongoCollection<Document> progress;

    PublicationProgress(MongoCollection<Document> progress) {
        this.progress = progress;
    }

    /** Registers a stream that has nothing published yet; keeps what is known of an existing one. */
    void register(String aggregateId) {
        try {
            progress.insertOne(new Document("_id", aggregateId).append(PUBLISHED_UP_TO, -1L));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    /** Records that the broker acknowledged each stream up to the given sequence number; never moves backwards. */
    void advance(Map<String, Long> publishedUpTo) {
        publishedUpTo.forEach((aggregateId, sequence) -> progress.updateOne(Filters.eq("_id", aggregateId),
                Updates.max(PUBLISHED_UP_TO, sequence), new UpdateOptions().upsert(true)));
    }

    /**
     * How far these streams are published, as recorded by any instance: one read by {@code _id}s. Streams not
     * registered are left out.
     */
    Map<String, Long> of(Collection<String> aggregateIds) {
        Map<String, Long> found = new HashMap<>();
        for (Document document : progress.find(Filters.in("_id", aggregateIds))) {
            found.put(document.getString("_id"), ((Number) document.get(PUBLISHED_UP_TO)).longValue());
        }
        return found;
    }

    /** Every registered stream and how far it is published. */
    Map<String, Long> all() {
        Map<String, Long> all = new HashMap<>();
        for (Document document : progress.find()) {
            all.put(document.getString("_id"), ((Number) document.get(PUBLISHED_UP_TO)).longValue());
        }
        return all;
    }
}
