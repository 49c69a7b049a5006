package io.github.orderstock.command.order;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import org.bson.Document;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.mongodb.autoconfigure.MongoProperties;
import org.springframework.stereotype.Component;

/**
 * One document per order id, keyed by {@code _id}: the first request to insert it owns the order id across all
 * products. Written before the command is dispatched and released again when the order is rejected, so a rejected
 * order id can be used again.
 * <p>
 * Claims arriving together are inserted together ({@link GroupCommit}): one unordered {@code insertMany}, whose
 * duplicate-key errors name the order ids claimed before.
 */
@Component
class OrderClaims {

    record Claim(String orderId, String productId, int quantity, Instant claimedAt) {

        boolean isFor(String productId, int quantity) {
            return this.productId.equals(productId) && this.quantity == quantity;
        }
    }

    private final MongoCollection<Document> claims;
    private final GroupCommit<String, Claim, Optional<Claim>> inserts;

    OrderClaims(MongoClient client, MongoProperties properties,
                @Value("${app.claims.max-batch:1000}") int maxBatch) {
        this.claims = client.getDatabase(properties.getMongoClientDatabase()).getCollection("order_claims");
        this.inserts = new GroupCommit<>(maxBatch, (all, batch) -> claimAll(batch));
    }

    /** Claims the order id; returns the earlier claim instead when the id was claimed before. */
    Optional<Claim> claim(Claim claim) {
        return inserts.submit("claims", claim);
    }

    void release(String orderId, String productId, int quantity) {
        claims.deleteOne(Filters.and(Filters.eq("_id", orderId), Filters.eq("productId", productId),
                Filters.eq("quantity", quantity)));
    }

    /**
     * Inserts every claim that is new and answers, for each one that is not, the claim found. Of two claims of the
     * same order id in one batch, the first wins.
     */
    private List<Optional<Claim>> claimAll(List<Claim> batch) {
        List<Document> documents = new ArrayList<>(batch.size());
        for (Claim claim : batch) {
            documents.add(new Document("_id", claim.orderId())
                    .append("productId", claim.productId())
                    .append("quantity", claim.quantity())
                    .append("claimedAt", Date.from(claim.claimedAt())));
        }
        List<Integer> taken = new ArrayList<>();
        try {
            claims.insertMany(documents, new InsertManyOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            for (BulkWriteError error : e.getWriteErrors()) {
                if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                taken.add(error.getIndex());
            }
        }
        List<Optional<Claim>> results = new ArrayList<>(batch.size());
        batch.forEach(claim -> results.add(Optional.empty()));
        if (taken.isEmpty()) {
            return results;
        }
        Map<String, Claim> earlier = new HashMap<>();
        List<String> ids = taken.stream().map(index -> batch.get(index).orderId()).distinct().toList();
        for (Document document : claims.find(Filters.in("_id", ids))) {
            String orderId = document.getString("_id");
            earlier.put(orderId, new Claim(orderId, document.getString("productId"), document.getInteger("quantity"),
                    document.getDate("claimedAt").toInstant()));
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
