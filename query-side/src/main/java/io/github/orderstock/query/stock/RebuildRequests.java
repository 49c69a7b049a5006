package io.github.orderstock.query.stock;

import static com.mongodb.client.model.Filters.eq;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import org.bson.Document;

/**
 * The one pending request for a rebuild, a document by key beside the rebuild's state: the instance asked records it,
 * every instance sees it and lets go of the projection's segments, and the asker withdraws it once the rebuild started
 * or could not ({@link ReadModel#requests()}).
 */
public final class RebuildRequests {

    private final MongoCollection<Document> replays;
    private final String id;

    RebuildRequests(MongoCollection<Document> replays, String id) {
        this.replays = replays;
        this.id = id;
    }

    /** An instance asked to rebuild and waits for every instance to let go of the projection's segments. */
    public record Request(String by, Instant at) {
    }

    /**
     * Records that instance {@code by} asks for a rebuild; false if another instance asked within {@code staleAfter}
     * (a request older than that was left by an instance that died, and is replaced).
     */
    public boolean ask(String by, Instant now, Duration staleAfter) {
        Document request = new Document("_id", id).append("by", by).append("at", Date.from(now));
        try {
            replays.insertOne(request);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
        Date staleBefore = Date.from(now.minus(staleAfter));
        return replays.replaceOne(Filters.and(eq("_id", id), Filters.lt("at", staleBefore)), request)
                .getModifiedCount() == 1;
    }

    /** The pending request for a rebuild, if any. */
    public Optional<Request> pending() {
        Document request = replays.find(eq("_id", id)).first();
        return request == null ? Optional.empty()
                : Optional.of(new Request(request.getString("by"), request.getDate("at").toInstant()));
    }

    /** Withdraws the request of {@code by}: the rebuild started, or could not. */
    public void withdraw(String by) {
        replays.deleteOne(Filters.and(eq("_id", id), eq("by", by)));
    }
}
