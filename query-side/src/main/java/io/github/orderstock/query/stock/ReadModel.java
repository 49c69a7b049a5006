package io.github.orderstock.query.stock;

import static com.mongodb.client.model.Filters.eq;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.RenameCollectionOptions;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import io.github.orderstock.query.stock.Rebuild.State;
import org.apache.kafka.common.TopicPartition;
import org.axonframework.eventhandling.TrackingToken;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the read model lives, and the rebuild of it. Readers always read {@code products} and {@code orders}. A
 * rebuild writes {@code products_rebuild} and {@code orders_rebuild} while readers keep the last complete view, and
 * once the projection has taken every record the topic held when the rebuild started, the rebuilt collections are
 * renamed over the live ones. The rebuild's state is one document in {@code replays}, so that it survives a crash
 * and every instance tells the same.
 * <p>
 * The switch takes three steps, each safe to repeat: while still {@link State#RUNNING} both rebuild collections are
 * created if missing (a topic without orders never creates {@code orders_rebuild}), so that once the state is
 * {@link State#SWITCHING} a missing rebuild collection means "already renamed"; then {@code orders}, then
 * {@code products} are replaced; then {@link State#COMPLETED} with the moment of the switch. Orders go first: between
 * the two renames the old products show no order that the new orders lack. A switch interrupted by a crash is
 * finished by {@link #open} at the next start, before the processor runs.
 */
public final class ReadModel {

    static final String PRODUCTS = "products";
    static final String ORDERS = "orders";
    static final String REBUILD_SUFFIX = "_rebuild";
    private static final String REPLAYS = "replays";
    private static final String SEGMENTS = "segments";
    private static final String CAUGHT_UP = "caughtUp";
    private static final String SWITCH_STARTED = "switchStartedAt";
    /** A switch marked as started this long ago without finishing was left by an instance that died. */
    private static final Duration ABANDONED_SWITCH = Duration.ofSeconds(30);
    private static final String REBUILD_ID = ProductStockProjection.PROCESSING_GROUP;
    private static final int NAMESPACE_NOT_FOUND = 26;
    private static final Logger log = LoggerFactory.getLogger(ReadModel.class);

    private final MongoDatabase database;
    private final MongoCollection<Document> replays;
    private final Clock clock;
    private final RebuildRequests requests;
    /** The rebuild as last read; decides where the projection writes without a read per event. */
    private volatile Rebuild known;

    private ReadModel(MongoDatabase database, Clock clock) {
        this.database = database;
        this.replays = database.getCollection(REPLAYS);
        this.clock = clock;
        this.requests = new RebuildRequests(replays, REBUILD_ID + "-request");
    }

    /** Opens the read model and finishes a switch that a crash interrupted. */
    public static ReadModel open(MongoDatabase database, Clock clock) {
        ReadModel readModel = new ReadModel(database, clock);
        Rebuild rebuild = readModel.refresh();
        if (rebuild != null && (rebuild.state() == State.SWITCHING
                || rebuild.state() == State.RUNNING && readModel.switchStarted())) {
            log.info("A switch to the rebuilt read model was interrupted; finishing it");
            readModel.switchToRebuilt(true);
        }
        return readModel;
    }

    /** Requests for a rebuild, asked of one instance and seen by all. */
    public RebuildRequests requests() {
        return requests;
    }

    /** The last rebuild, read from MongoDB; empty if there never was one. */
    public Optional<Rebuild> rebuild() {
        return Optional.ofNullable(read());
    }

    /**
     * Records a rebuild that starts now: from here on the projection writes the rebuild collections. Called with the
     * processor stopped and its tokens reset.
     */
    public void startRebuild(Instant startedAt, Map<TopicPartition, Long> endOffsets) {
        startRebuild(startedAt, endOffsets, List.of(0));
    }

    /**
     * Records a rebuild that starts now, to be complete once each of the projection's {@code segments} has taken
     * every record below the end offsets (each segment reads the whole topic and applies its share of the products).
     */
    public void startRebuild(Instant startedAt, Map<TopicPartition, Long> endOffsets, List<Integer> segments) {
        List<Document> ends = new ArrayList<>();
        endOffsets.forEach((partition, offset) -> ends.add(new Document("topic", partition.topic())
                .append("partition", partition.partition()).append("offset", offset)));
        replays.replaceOne(eq("_id", REBUILD_ID), new Document("_id", REBUILD_ID)
                .append("state", State.RUNNING.name())
                .append("startedAt", Date.from(startedAt))
                .append("endOffsets", ends)
                .append(SEGMENTS, segments)
                .append(CAUGHT_UP, List.of())
                .append("completedAt", null), new ReplaceOptions().upsert(true));
        refresh();
    }

    /** Re-reads the rebuild's state; the processor does so once per batch (another instance may have started one). */
    Rebuild refresh() {
        known = read();
        return known;
    }

    boolean rebuilding() {
        Rebuild rebuild = known;
        return rebuild != null && rebuild.state() == State.RUNNING;
    }

    /** The collection readers read. */
    MongoCollection<Document> products() {
        return database.getCollection(PRODUCTS);
    }

    /** The collection readers read. */
    MongoCollection<Document> orders() {
        return database.getCollection(ORDERS);
    }

    /** Where one batch of the projection writes: the live collections, or the rebuild's while one runs. */
    record Target(MongoCollection<Document> products, MongoCollection<Document> orders, boolean rebuild) {
    }

    /** Where the projection writes now; decided once per flush, so that both collections are of the same kind. */
    Target target() {
        boolean rebuild = rebuilding();
        return new Target(database.getCollection(rebuild ? PRODUCTS + REBUILD_SUFFIX : PRODUCTS),
                database.getCollection(rebuild ? ORDERS + REBUILD_SUFFIX : ORDERS), rebuild);
    }

    /** Whether a rebuild still runs, read from MongoDB now (another segment may have just switched). */
    boolean stillRebuilding() {
        refresh();
        return rebuilding();
    }

    /** Forgets a half-built rebuild; the live collections stay as they are. */
    void dropRebuild() {
        List<String> existing = collectionNames();
        for (String name : List.of(PRODUCTS + REBUILD_SUFFIX, ORDERS + REBUILD_SUFFIX)) {
            if (existing.contains(name)) {
                database.getCollection(name).drop();
            }
        }
    }

    /** Switches to the rebuilt collections if the projection, now at {@code token}, has taken all they need. */
    void switchIfRebuilt(TrackingToken token) {
        switchIfRebuilt(token, 0);
    }

    /**
     * Tells a rebuild where a segment of this instance stands, from its committed token: a segment whose events all
     * went to other segments runs no batch, so only this (called every second) marks it caught up.
     */
    public void segmentCommittedAt(TrackingToken token, int segment) {
        Rebuild rebuild = known;
        if (token == null || rebuild == null || rebuild.state() != State.RUNNING) {
            rebuild = refresh();
        }
        if (token != null && rebuild != null && rebuild.state() == State.RUNNING) {
            switchIfRebuilt(token, segment);
        }
    }

    /**
     * Records that {@code segment}, now at {@code token}, has taken all the rebuild needs, and switches to the rebuilt
     * collections once every segment has.
     */
    void switchIfRebuilt(TrackingToken token, int segment) {
        Rebuild rebuild = known;
        if (rebuild == null || rebuild.state() != State.RUNNING || !rebuild.reachedBy(token)) {
            return;
        }
        if (!rebuild.caughtUp().contains(segment)) {
            replays.updateOne(eq("_id", REBUILD_ID), Updates.addToSet(CAUGHT_UP, segment));
            rebuild = refresh();
        }
        if (rebuild != null && rebuild.state() == State.RUNNING && rebuild.complete()) {
            switchToRebuilt();
        }
    }

    /**
     * Replaces the live collections by the rebuilt ones and records the moment; repeating it changes nothing.
     * Called by the processor's thread, by {@link #open} before the processor runs, or with the processor stopped.
     */
    public void switchToRebuilt() {
        switchToRebuilt(false);
    }

    /**
     * Of several segments (threads here, or other instances) that find the rebuild complete at once, one switches: it
     * marks the switch as started (compare and set on a rebuild still RUNNING and not marked, or marked long ago by an
     * instance that died), the others leave. Otherwise a late one could create empty rebuild collections after the
     * first had renamed them away, and rename those over the live ones. {@code resuming}: finishing a switch that
     * this database says was started, at start-up.
     */
    private synchronized void switchToRebuilt(boolean resuming) {
        Rebuild rebuild = read();
        if (rebuild == null || rebuild.state() == State.COMPLETED) {
            refresh();
            return;
        }
        if (rebuild.state() == State.RUNNING && !resuming) {
            Instant now = clock.instant();
            boolean mine = replays.updateOne(Filters.and(eq("_id", REBUILD_ID), eq("state", State.RUNNING.name()),
                    Filters.or(Filters.exists(SWITCH_STARTED, false),
                            Filters.lt(SWITCH_STARTED, Date.from(now.minus(ABANDONED_SWITCH))))),
                    Updates.set(SWITCH_STARTED, Date.from(now))).getModifiedCount() == 1;
            if (!mine) {
                refresh();
                return;
            }
        }
        List<String> existing = collectionNames();
        if (rebuild.state() == State.RUNNING) {
            for (String name : List.of(ORDERS + REBUILD_SUFFIX, PRODUCTS + REBUILD_SUFFIX)) {
                if (!existing.contains(name)) {
                    database.createCollection(name);
                }
            }
            replays.updateOne(eq("_id", REBUILD_ID), Updates.set("state", State.SWITCHING.name()));
        }
        for (String live : List.of(ORDERS, PRODUCTS)) {
            if (rebuild.state() == State.RUNNING || existing.contains(live + REBUILD_SUFFIX)) {
                replaceByRebuilt(live);
            }
        }
        Instant completedAt = clock.instant();
        replays.updateOne(eq("_id", REBUILD_ID), Updates.combine(Updates.set("state", State.COMPLETED.name()),
                Updates.set("completedAt", Date.from(completedAt))));
        refresh();
        log.info("Replay of the read model completed: readers see the rebuilt collections since {}", completedAt);
    }

    private void replaceByRebuilt(String live) {
        try {
            database.getCollection(live + REBUILD_SUFFIX).renameCollection(
                    new MongoNamespace(database.getName(), live), new RenameCollectionOptions().dropTarget(true));
        } catch (MongoCommandException e) {
            // Renamed already (before a crash, or by another instance finishing the same switch).
            if (e.getErrorCode() != NAMESPACE_NOT_FOUND && !e.getErrorMessage().contains("does not exist")) {
                throw e;
            }
        }
    }

    private boolean switchStarted() {
        Document document = replays.find(eq("_id", REBUILD_ID)).first();
        return document != null && document.get(SWITCH_STARTED) != null;
    }

    private List<String> collectionNames() {
        return database.listCollectionNames().into(new ArrayList<>());
    }

    private Rebuild read() {
        Document document = replays.find(eq("_id", REBUILD_ID)).first();
        if (document == null) {
            return null;
        }
        Map<TopicPartition, Long> ends = new LinkedHashMap<>();
        for (Document end : document.getList("endOffsets", Document.class, List.of())) {
            ends.put(new TopicPartition(end.getString("topic"), end.getInteger("partition")),
                    ((Number) end.get("offset")).longValue());
        }
        Date completedAt = document.getDate("completedAt");
        // Rebuilds recorded before the projection had segments ran on one.
        Set<Integer> segments = new HashSet<>(document.getList(SEGMENTS, Integer.class, List.of(0)));
        Set<Integer> caughtUp = new HashSet<>(document.getList(CAUGHT_UP, Integer.class, List.of()));
        return new Rebuild(State.valueOf(document.getString("state")), document.getDate("startedAt").toInstant(),
                ends, completedAt == null ? null : completedAt.toInstant(), segments, caughtUp);
    }
}
