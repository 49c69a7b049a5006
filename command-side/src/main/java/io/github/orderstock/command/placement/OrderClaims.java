package io.github.orderstock.command.placement;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import io.github.orderstock.support.mongo.Inserts;
import org.bson.Document;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.mongodb.autoconfigure.MongoProperties;
import org.springframework.stereotype.Component;

/**
 * One document per order id, keyed by {@code _id}: the first request to insert it owns the order id across all
 * products. Written before the command is dispatched and released again when the order is rejected, so a rejected
 * order id can be used again. Once the product placed the order, the claim says so ({@code placed: true}), and a
 * repeat of the order is answered from the claim alone, however old it is (ADR 6).
 * <p>
 * A claim also bounds when its order may be placed: from {@code claimedAt} to {@code placeBy} (the product places
 * nothing after it). A claim whose window closed without a placement is renewed: a new window, owned by whoever
 * renewed it, as a new claim is owned by whoever inserted it.
 * <p>
 * Claims arriving together are inserted together ({@link GroupCommit}): one unordered {@code insertMany}, whose
 * duplicate-key errors name the order ids claimed before. Outcomes arriving together are recorded together too: one
 * {@code updateMany} by {@code _id}.
 */
@Component
@EnableConfigurationProperties(PlacementProperties.class)
class OrderClaims {

    /**
     * @param placeBy {@code null} on claims written before claims had windows: their order may have been placed at any
     *                time after {@code claimedAt}
     * @param placed  the product placed the order (recorded after it did; false may also mean "not recorded yet")
     */
    record Claim(String orderId, String productId, int quantity, Instant claimedAt, Instant placeBy, boolean placed) {

        /** A new claim, with its placement window starting now. */
        Claim(String orderId, String productId, int quantity, Instant now) {
            this(orderId, productId, quantity, now.truncatedTo(ChronoUnit.MILLIS),
                    now.truncatedTo(ChronoUnit.MILLIS).plus(PLACEMENT_WINDOW), false);
        }

        boolean isFor(String productId, int quantity) {
            return this.productId.equals(productId) && this.quantity == quantity;
        }
    }

    /** How long after its claim an order may be placed: as long as its request waits for the product. */
    static final Duration PLACEMENT_WINDOW = ProductOrders.COMMAND_TIMEOUT;

    private static final String ID = "_id";
    private static final String CLAIMED_AT = "claimedAt";
    private static final String PLACE_BY = "placeBy";
    private static final String PLACED = "placed";

    private final MongoCollection<Document> claims;
    private final GroupCommit<String, Claim, Optional<Claim>> inserts;
    private final GroupCommit<String, String, Boolean> outcomes;

    @Autowired
    OrderClaims(MongoClient client, MongoProperties properties, PlacementProperties settings) {
        this(client.getDatabase(properties.getMongoClientDatabase()).getCollection("order_claims"),
                settings.claimBatch());
    }

    /** On a collection of one's choice (tests). */
    OrderClaims(MongoCollection<Document> claims, int maxBatch) {
        this.claims = claims;
        this.inserts = new GroupCommit<>(maxBatch);
        this.outcomes = new GroupCommit<>(maxBatch);
    }

    /** Claims the order id; returns the earlier claim instead when the id was claimed before. */
    Optional<Claim> claim(Claim claim) {
        return inserts.submit("claims", claim, (all, batch) -> claimAll(batch));
    }

    /** The claim of this order id, if there is one: a lookup by key. */
    Optional<Claim> find(String orderId) {
        return Optional.ofNullable(claims.find(Filters.eq(ID, orderId)).first()).map(OrderClaims::claimOf);
    }

    /** Records that the product placed the order; together with the other outcomes that arrive meanwhile. */
    void recordPlaced(String orderId) {
        outcomes.submit("outcomes", orderId, (all, orderIds) -> recordAllPlaced(orderIds));
    }

    /**
     * Gives the claim a new window from now, if it is still the claim given (same window, not placed), and
     * answers the claim as it is now: the renewed one, another one renewed first, or none when it was released.
     * Only for a claim whose window closed and under which nothing was placed.
     */
    Optional<Claim> renew(Claim claim, Instant now) {
        Instant at = now.truncatedTo(ChronoUnit.MILLIS);
        Document renewed = claims.findOneAndUpdate(
                Filters.and(Filters.eq(ID, claim.orderId()), Filters.eq(CLAIMED_AT, Date.from(claim.claimedAt())),
                        Filters.ne(PLACED, true)),
                Updates.combine(Updates.set(CLAIMED_AT, Date.from(at)), Updates.set(PLACE_BY,
                        Date.from(at.plus(PLACEMENT_WINDOW)))),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        return renewed != null ? Optional.of(claimOf(renewed)) : find(claim.orderId());
    }

    /** Frees the order id of a rejected order; never that of a placed one. */
    void release(String orderId, String productId, int quantity) {
        claims.deleteOne(Filters.and(Filters.eq(ID, orderId), Filters.eq("productId", productId),
                Filters.eq("quantity", quantity), Filters.ne(PLACED, true)));
    }

    private List<Boolean> recordAllPlaced(List<String> orderIds) {
        claims.updateMany(Filters.in(ID, orderIds), Updates.set(PLACED, true));
        return Collections.nCopies(orderIds.size(), Boolean.TRUE);
    }

    private static Claim claimOf(Document document) {
        Date placeBy = document.getDate(PLACE_BY);
        return new Claim(document.getString(ID), document.getString("productId"), document.getInteger("quantity"),
                document.getDate(CLAIMED_AT).toInstant(), placeBy == null ? null : placeBy.toInstant(),
                Boolean.TRUE.equals(document.getBoolean(PLACED)));
    }

    /**
     * Inserts every claim that is new and answers, for each one that is not, the claim found. Of two claims of the
     * same order id in one batch, the first wins.
     */
    private List<Optional<Claim>> claimAll(List<Claim> batch) {
        List<Document> documents = new ArrayList<>(batch.size());
        for (Claim claim : batch) {
            documents.add(new Document(ID, claim.orderId())
                    .append("productId", claim.productId())
                    .append("quantity", claim.quantity())
                    .append(CLAIMED_AT, Date.from(claim.claimedAt()))
                    .append(PLACE_BY, Date.from(claim.placeBy())));
        }
        List<Integer> taken = Inserts.insertNew(claims, documents);
        List<Optional<Claim>> results = new ArrayList<>(batch.size());
        batch.forEach(claim -> results.add(Optional.empty()));
        if (taken.isEmpty()) {
            return results;
        }
        Map<String, Claim> earlier = new HashMap<>();
        List<String> ids = taken.stream().map(index -> batch.get(index).orderId()).distinct().toList();
        for (Document document : claims.find(Filters.in(ID, ids))) {
            Claim found = claimOf(document);
            earlier.put(found.orderId(), found);
        }
        List<Integer> released = new ArrayList<>();
        for (int index : taken) {
            Claim found = earlier.get(batch.get(index).orderId());
            if (found == null) {
                released.add(index);
            } else {
                results.set(index, Optional.of(found));
            }
        }
        if (!released.isEmpty()) {
            // Released between our insert and our read: those ids are free again.
            List<Optional<Claim>> again = claimAll(released.stream().map(batch::get).toList());
            for (int i = 0; i < released.size(); i++) {
                results.set(released.get(i), again.get(i));
            }
        }
        return results;
    }
}
