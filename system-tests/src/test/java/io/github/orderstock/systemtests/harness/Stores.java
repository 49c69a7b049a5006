package io.github.orderstock.systemtests.harness;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import io.github.orderstock.testsupport.TestStack;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;

/**
 * Reads both MongoDB databases directly, bypassing the services: the event store ({@code shop_write.domainevents},
 * the truth of the write model) and the read model ({@code shop_read.products}, {@code orders}).
 */
public final class Stores {

    /** One event as the event store holds it. */
    public record StoredEvent(String aggregateId, long sequence, String payloadType, Document payload,
                              String eventId, Instant timestamp) {

        public TopicAudit.EventKey key() {
            return new TopicAudit.EventKey(aggregateId, sequence);
        }

        public boolean isOrder() {
            return TopicAudit.PLACED.equals(payloadType);
        }

        public boolean isRestock() {
            return TopicAudit.RESTOCKED.equals(payloadType);
        }

        public boolean isAdded() {
            return TopicAudit.ADDED.equals(payloadType);
        }

        public int quantity() {
            return payload.getInteger("quantity");
        }

        public String orderId() {
            return payload.getString("orderId");
        }
    }

    private final MongoClient client;

    public Stores(MongoClient client) {
        this.client = client;
    }

    /** The stores of the stack under test, through its MongoDB client. */
    public static Stores of(TestStack stack) {
        return new Stores(stack.mongo());
    }

    private MongoCollection<Document> write(String collection) {
        return client.getDatabase("shop_write").getCollection(collection);
    }

    private MongoCollection<Document> read(String collection) {
        return client.getDatabase("shop_read").getCollection(collection);
    }

    /** The events of these products, in stream order per product. */
    public List<StoredEvent> events(Collection<String> productIds) {
        List<StoredEvent> events = new ArrayList<>();
        for (Document document : write("domainevents").find(Filters.in("aggregateIdentifier", productIds))) {
            events.add(new StoredEvent(document.getString("aggregateIdentifier"),
                    ((Number) document.get("sequenceNumber")).longValue(), document.getString("payloadType"),
                    Document.parse(document.getString("serializedPayload")), document.getString("eventIdentifier"),
                    timestamp(document.get("timestamp"))));
        }
        events.sort(Comparator.comparing(StoredEvent::aggregateId).thenComparingLong(StoredEvent::sequence));
        return events;
    }

    /** The sequence number of each product's last stored event (its stream's head), by product. */
    public Map<String, Long> streamHeads(Collection<String> productIds) {
        Map<String, Long> heads = new TreeMap<>();
        for (String product : productIds) {
            Document last = write("domainevents").find(Filters.eq("aggregateIdentifier", product))
                    .sort(new Document("sequenceNumber", -1)).limit(1).first();
            if (last != null) {
                heads.put(product, ((Number) last.get("sequenceNumber")).longValue());
            }
        }
        return heads;
    }

    /**
     * Who holds each segment of the projection's processor: segment to the token store's owner (the node id the
     * holding instance gave its token store), or "-" when unclaimed.
     */
    public Map<Integer, String> projectionClaims() {
        Map<Integer, String> claims = new TreeMap<>();
        for (Document token : read("trackingtokens").find(Filters.eq("processorName", "product-stock"))) {
            String owner = token.getString("owner");
            claims.put(((Number) token.get("segment")).intValue(), owner == null ? "-" : owner);
        }
        return claims;
    }

    /** The read model's product documents, normalised (numbers as long), by id; all products when ids is null. */
    public Map<String, Document> products(Collection<String> productIds) {
        Map<String, Document> products = new TreeMap<>();
        var found = productIds == null ? read("products").find() : read("products").find(Filters.in("_id", productIds));
        for (Document document : found) {
            products.put(document.getString("_id"), normaliseProduct(document));
        }
        return products;
    }

    /** The lastSequence sum of these products in the read model: grows as the projection applies events. */
    public long appliedSequenceSum(Collection<String> productIds) {
        long sum = 0;
        for (Document document : read("products").find(Filters.in("_id", productIds))
                .projection(Projections.include("lastSequence"))) {
            sum += ((Number) document.get("lastSequence")).longValue();
        }
        return sum;
    }

    /** The read model's order documents of these products (all when null), normalised, by id. */
    public Map<String, Document> orders(Collection<String> productIds) {
        Map<String, Document> orders = new TreeMap<>();
        var found = productIds == null ? read("orders").find()
                : read("orders").find(Filters.in("productId", productIds));
        for (Document document : found) {
            orders.put(document.getString("_id"), new Document("_id", document.get("_id"))
                    .append("orderId", document.get("orderId"))
                    .append("productId", document.get("productId"))
                    .append("quantity", ((Number) document.get("quantity")).longValue())
                    .append("placedAt", document.get("placedAt", Date.class)));
        }
        return orders;
    }

    /**
     * The Kafka positions (partition to offset of the last record taken) in the projection's stored tracking token,
     * empty when there is none. A replay wraps the token; the innermost positions are the current ones.
     */
    public Map<Integer, Long> projectionPositions() {
        Map<Integer, Long> positions = new TreeMap<>();
        for (Document token : read("trackingtokens").find(Filters.eq("processorName", "product-stock"))) {
            Object bytes = token.get("token");
            if (!(bytes instanceof org.bson.types.Binary binary)) {
                continue;
            }
            Document json = Document.parse(new String(binary.getData(), java.nio.charset.StandardCharsets.UTF_8));
            Document found = findPositions(json);
            if (found != null) {
                found.forEach((key, value) -> positions.merge(
                        Integer.parseInt(key.substring(key.lastIndexOf('-') + 1)), ((Number) value).longValue(),
                        Math::max));
            }
        }
        return positions;
    }

    private static Document findPositions(Document json) {
        if (json.get("positions") instanceof Document positions) {
            return positions;
        }
        // ReplayToken: currentToken (may itself be a ReplayToken) before tokenAtReset.
        for (String key : List.of("currentToken", "tokenAtReset")) {
            if (json.get(key) instanceof Document inner) {
                Document found = findPositions(inner);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** Whether the read model's database holds this collection now (a replay's rebuild collections). */
    public boolean readCollectionExists(String name) {
        return client.getDatabase("shop_read").listCollectionNames().into(new ArrayList<>()).contains(name);
    }

    /** The documents of a read-model collection, raw (for dead letters). */
    public List<Document> readCollection(String name) {
        return read(name).find().into(new ArrayList<>());
    }

    static Document normaliseProduct(Document document) {
        return new Document("_id", document.get("_id"))
                .append("productId", document.get("productId"))
                .append("name", document.get("name"))
                .append("quantity", ((Number) document.get("quantity")).longValue())
                .append("lastSequence", ((Number) document.get("lastSequence")).longValue());
    }

    private static Instant timestamp(Object value) {
        if (value instanceof Date date) {
            return date.toInstant();
        }
        return Instant.parse(value.toString());
    }
}
