package io.github.orderstock.query.stock;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import org.bson.Document;

/**
 * The query-side instances that run the projection: each says every few moments that it is alive (one document per
 * instance, {@code _id} = its name), and counts the others that did lately ({@link ProjectionProperties#aliveFor}).
 * That count decides each instance's fair share of the segments ({@code SegmentBalancer}); the claims themselves are
 * Axon's, in the token store.
 */
public final class ProjectionInstances {

    public static final String COLLECTION = "projection_instances";

    private final MongoCollection<Document> instances;
    private final String self;
    private final Duration aliveFor;
    private final Clock clock;

    public ProjectionInstances(MongoCollection<Document> instances, String self, Duration aliveFor, Clock clock) {
        this.instances = instances;
        this.self = self;
        this.aliveFor = aliveFor;
        this.clock = clock;
    }

    /** A name no other instance has: host and process, and a random part for several instances in one process. */
    public static String generatedId() {
        return ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** This instance's name, also its name in the token store's claims. */
    public String self() {
        return self;
    }

    /** Says that this instance is alive now. */
    public void heartbeat() {
        instances.replaceOne(Filters.eq("_id", self), new Document("_id", self).append("seenAt",
                Date.from(clock.instant())), new ReplaceOptions().upsert(true));
    }

    /** How many instances (this one included) said recently that they are alive. */
    public int alive() {
        Instant since = clock.instant().minus(aliveFor);
        int alive = 0;
        for (Document instance : instances.find()) {
            if (instance.getString("_id").equals(self) || !instance.getDate("seenAt").toInstant().isBefore(since)) {
                alive++;
            }
        }
        return Math.max(alive, 1);
    }

    /** This instance stops: the others need not wait for the timeout to count it out. */
    public void leave() {
        instances.deleteOne(Filters.eq("_id", self));
    }
}
