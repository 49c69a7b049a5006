package io.github.orderstock.command.order;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.springframework.boot.autoconfigure.mongo.MongoProperties;
import org.springframework.stereotype.Component;

/**
 * One document per order id, keyed by {@code _id}: the first request to insert it owns the order id across all
 * products. Written before the command is dispatched and released again when the order is rejected, so a rejected
 * order id can be used again.
 */
@Component
class OrderClaims {

    record Claim(String orderId, String productId, int quantity, Instant claimedAt) {

        boolean isFor(String productId, int quantity) {
            return this.productId.equals(productId) && this.quantity == quantity;
        }
    }

    private final MongoCollection<Document> claims;

    OrderClaims(MongoClient client, MongoProperties properties) {
        this.claims = client.getDatabase(properties.getMongoClientDatabase()).getCollection("order_claims");
    }

    /** Claims the order id; returns the earlier claim instead when the id was claimed before. */
    Optional<Claim> claim(Claim claim) {
        try {
            claims.insertOne(new Document("_id", claim.orderId())
                    .append("productId", claim.productId())
                    .append("quantity", claim.quantity())
                    .append("claimedAt", Date.from(claim.claimedAt())));
            return Optional.empty();
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            Document earlier = claims.find(Filters.eq("_id", claim.orderId())).first();
            if (earlier == null) {
                // Released between our insert and our read: the id is free again.
                return claim(claim);
            }
            return Optional.of(new Claim(claim.orderId(), earlier.getString("productId"),
                    earlier.getInteger("quantity"), earlier.getDate("claimedAt").toInstant()));
        }
    }

    void release(String orderId, String productId, int quantity) {
        claims.deleteOne(Filters.and(Filters.eq("_id", orderId), Filters.eq("productId", productId),
                Filters.eq("quantity", quantity)));
    }
}
