package io.github.orderstock.query.stock;

import static com.mongodb.client.model.Filters.eq;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.RenameCollectionOptions;
import com.mongodb.client.model.Updates;
import io.github.orderstock.query.stock.Rebuild.State;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The switch of {@link ReadModel} from the live collections to the rebuilt ones, in three steps, each safe to repeat:
 * while still {@link State#RUNNING} both rebuild collections are created if missing (a topic without orders never
 * creates {@code orders_rebuild}); then {@code orders}, then {@code products} are replaced, and each rename is
 * recorded once done, so that a switch finished by someone else renames only what is left; then
 * {@link State#COMPLETED} with the moment of the switch. Orders go first: between the two renames the old products
 * show no order that the new orders lack.
 * <p>
 * Of several segments (threads here, or other instances) that find the rebuild complete at once, one switches: it
 * marks the switch as started (compare and set on a rebuild not yet completed whose mark is absent, or older than
 * {@link #ABANDONED}), the others leave. Otherwise a late one could create empty rebuild collections after the first
 * had renamed them away, and rename those over the live ones. A switch whose mark is older than that was left by an
 * instance that died, or failed, in its midst: any instance finishes it.
 */
final class RebuildSwitch {

    /** A switch marked as started this long ago without finishing was left by an instance that died. */
    private static final Duration ABANDONED = Duration.ofSeconds(30);
    private static final String STARTED = "switchStartedAt";
    private static final String RENAMED = "renamed";
    private static final int NAMESPACE_NOT_FOUND = 26;
    private static final int NAMESPACE_EXISTS = 48;
    private static final Logger log = LoggerFactory.getLogger(RebuildSwitch.class);

    private final MongoDatabase database;
    private final MongoCollection<Document> replays;
    private final String id;
    private final Clock clock;

    RebuildSwitch(MongoDatabase database, MongoCollection<Document> replays, String id, Clock clock) {
        this.database = database;
        this.replays = replays;
        this.id = id;
        this.clock = clock;
    }

    /** Whether a switch of the rebuild was marked as started (read while its state still says RUNNING). */
    boolean started() {
        Document document = replays.find(eq("_id", id)).first();
        return document != null && document.get(STARTED) != null;
    }

    /**
     * Switches the rebuild (RUNNING or SWITCHING) unless another switch of it is under way. {@code resuming}: at
     * start-up, before the processor runs, finishing a switch this database says was started.
     */
    void run(boolean resuming) {
        Instant now = clock.instant();
        Bson markable = resuming ? eq("_id", id) : Filters.and(eq("_id", id),
                Filters.ne("state", State.COMPLETED.name()),
                Filters.or(Filters.exists(STARTED, false), Filters.lt(STARTED, Date.from(now.minus(ABANDONED)))));
        if (replays.updateOne(markable, Updates.set(STARTED, Date.from(now))).getMatchedCount() != 1) {
            return;
        }
        // The state as it is now that the switch is this one's, not as read before.
        Document rebuild = replays.find(eq("_id", id)).first();
        State state = State.valueOf(rebuild.getString("state"));
        if (state == State.COMPLETED) {
            return;
        }
        if (state == State.SWITCHING) {
            log.info("Finishing a switch to the rebuilt read model that was interrupted");
        }
        List<String> renamed = rebuild.getList(RENAMED, String.class, List.of());
        if (state == State.RUNNING) {
            List<String> existing = database.listCollectionNames().into(new ArrayList<>());
            for (String live : List.of(ReadModel.ORDERS, ReadModel.PRODUCTS)) {
                if (!existing.contains(live + ReadModel.REBUILD_SUFFIX)) {
                    create(live + ReadModel.REBUILD_SUFFIX);
                }
            }
            replays.updateOne(eq("_id", id), Updates.set("state", State.SWITCHING.name()));
        }
        for (String live : List.of(ReadModel.ORDERS, ReadModel.PRODUCTS)) {
            if (!renamed.contains(live)) {
                replaceByRebuilt(live);
                replays.updateOne(eq("_id", id), Updates.addToSet(RENAMED, live));
            }
        }
        Instant completedAt = clock.instant();
        replays.updateOne(eq("_id", id), Updates.combine(Updates.set("state", State.COMPLETED.name()),
                Updates.set("completedAt", Date.from(completedAt))));
        log.info("Replay of the read model completed: readers see the rebuilt collections since {}", completedAt);
    }

    private void create(String name) {
        try {
            database.createCollection(name);
        } catch (MongoCommandException e) {
            // Created meanwhile by a batch written into it.
            if (e.getErrorCode() != NAMESPACE_EXISTS && !e.getErrorMessage().contains("already exists")) {
                throw e;
            }
        }
    }

    private void replaceByRebuilt(String live) {
        try {
            database.getCollection(live + ReadModel.REBUILD_SUFFIX).renameCollection(
                    new MongoNamespace(database.getName(), live), new RenameCollectionOptions().dropTarget(true));
        } catch (MongoCommandException e) {
            // Renamed already, by a switch that died before it recorded so.
            if (e.getErrorCode() != NAMESPACE_NOT_FOUND && !e.getErrorMessage().contains("does not exist")) {
                throw e;
            }
        }
    }
}
