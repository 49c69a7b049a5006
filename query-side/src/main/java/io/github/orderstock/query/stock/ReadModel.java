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
import java.util.function.BiFunction;
import java.util.function.Predicate;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import io.github.orderstock.query.stock.Rebuild.State;
import org.apache.kafka.common.TopicPartition;
import org.axonframework.eventhandling.TrackingToken;
import org.bson.Document;

/**
 * Where the read model lives, and the rebuild of it. Readers always read {@code products} and {@code orders}. A
 * rebuild writes {@code products_rebuild} and {@code orders_rebuild} while readers keep the last complete view, and
 * once the projection has taken every record the topic held when the rebuild started, the rebuilt collections are
 * renamed over the live ones. The rebuild's state is one document in {@code replays}, so that it survives a crash
 * and every instance tells the same.
 * <p>
 * The switch ({@link RebuildSwitch}) takes three steps, each safe to repeat. A switch interrupted by a crash is
 * finished by {@link #open} at the next start, before the processor runs, or by any instance once it is abandoned.
 */
public final class ReadModel {

    static final String PRODUCTS = "products";
    static final String ORDERS = "orders";
    static final String REBUILD_SUFFIX = "_rebuild";
    private static final String REPLAYS = "replays";
    private static final String SEGMENTS = "segments";
    private static final String CAUGHT_UP = "caughtUp";
    private static final String REBUILD_ID = ProductStockProjection.PROCESSING_GROUP;
    /** How long a read that found nothing waits for a switch under way to end; two renames take milliseconds. */
    static final Duration SWITCH_WAIT = Duration.ofSeconds(1);
    private static final Duration SWITCH_POLL = Duration.ofMillis(20);
    /** Allowance between the clocks of the instance that records the moment of a switch and one that reads it. */
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(1);

    private final MongoDatabase database;
    private final MongoCollection<Document> replays;
    private final Clock clock;
    private final RebuildRequests requests;
    private final RebuildSwitch switcher;
    /** The rebuild as last read; decides where the projection writes without a read per event. */
    private volatile Rebuild known;

    private ReadModel(MongoDatabase database, Clock clock) {
        this.database = database;
        this.replays = database.getCollection(REPLAYS);
        this.clock = clock;
        this.requests = new RebuildRequests(replays, REBUILD_ID + "-request");
        this.switcher = new RebuildSwitch(database, replays, REBUILD_ID, clock);
    }

    /** Opens the read model and finishes a switch that a crash interrupted. */
    public static ReadModel open(MongoDatabase database, Clock clock) {
        ReadModel readModel = new ReadModel(database, clock);
        Rebuild rebuild = readModel.refresh();
        if (rebuild != null && (rebuild.state() == State.SWITCHING
                || rebuild.state() == State.RUNNING && readModel.switcher.started())) {
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

    /** Whether the rebuilt collections are being renamed over the live ones, as last read. */
    boolean switching() {
        Rebuild rebuild = known;
        return rebuild != null && rebuild.state() == State.SWITCHING;
    }

    /** The live collection of products, which readers read. */
    MongoCollection<Document> products() {
        return database.getCollection(PRODUCTS);
    }

    /** The live collection of orders, which readers read. */
    MongoCollection<Document> orders() {
        return database.getCollection(ORDERS);
    }

    /**
     * Reads the live collections ({@code products}, {@code orders}). On MongoDB, renaming a rebuilt collection over a
     * live one is atomic for readers; the MongoDB stand-in drops the live one first, so a read in between finds
     * nothing. A read that found nothing is therefore made again if a switch was under way or has just ended: once
     * the switch is done, or, if it is not done within {@link #SWITCH_WAIT} (the instance switching died), from the
     * rebuilt collections, which then hold the complete view. Reads that find something cost nothing more.
     */
    <T> T readLive(BiFunction<MongoCollection<Document>, MongoCollection<Document>, T> read,
                   Predicate<T> foundNothing) {
        Instant asked = clock.instant();
        T result = read.apply(products(), orders());
        if (!foundNothing.test(result)) {
            return result;
        }
        Rebuild rebuild = read();
        if (rebuild != null && rebuild.state() == State.SWITCHING) {
            if (awaitEndOfSwitch().state() == State.SWITCHING) {
                T rebuilt = read.apply(database.getCollection(PRODUCTS + REBUILD_SUFFIX),
                        database.getCollection(ORDERS + REBUILD_SUFFIX));
                return foundNothing.test(rebuilt) ? read.apply(products(), orders()) : rebuilt;
            }
            return read.apply(products(), orders());
        }
        boolean switchedSince = rebuild != null && rebuild.completedAt() != null
                && rebuild.completedAt().isAfter(asked.minus(CLOCK_SKEW));
        return switchedSince ? read.apply(products(), orders()) : result;
    }

    /** Polls the rebuild's state until it is no longer switching, for at most {@link #SWITCH_WAIT}. */
    private Rebuild awaitEndOfSwitch() {
        long deadline = System.nanoTime() + SWITCH_WAIT.toNanos();
        Rebuild rebuild = read();
        while (rebuild.state() == State.SWITCHING && System.nanoTime() < deadline) {
            try {
                Thread.sleep(SWITCH_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return rebuild;
            }
            rebuild = read();
        }
        return rebuild;
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
            rebuild = known;
        }
        if (rebuild != null && rebuild.state() == State.SWITCHING) {
            switchToRebuilt(); // only once abandoned by the instance that started it
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

    /** See {@link RebuildSwitch}. {@code resuming}: finishing, at start-up, a switch this database says started. */
    private synchronized void switchToRebuilt(boolean resuming) {
        Rebuild rebuild = read();
        if (rebuild != null && rebuild.state() != State.COMPLETED) {
            switcher.run(resuming);
        }
        refresh();
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
