package io.github.orderstock.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.github.orderstock.events.OrderPlacedEvent;
import io.github.orderstock.events.ProductAddedEvent;
import io.github.orderstock.events.ProductRestockedEvent;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;

/**
 * Events and a snapshot written by version 0.1.0 (Spring Boot 3.5.16, before the move to Boot 4 and an explicitly
 * configured Jackson 2 mapper) are read as they were meant, and new events are written in the same form. The
 * documents in {@code stored-by-0.1.0/shop_write.jsonl} were copied out of a 0.1.0 dev stack's MongoDB after the
 * original order, a product {@code p2} with a restock and 521 orders (a snapshot at sequence 523).
 */
@TestPropertySource(properties = "app.seed.enabled=false")
class StoredByEarlierVersionTest extends RunningCommandSide {

    private static final List<Document> STORED = storedDocuments();

    @BeforeAll
    static void storeWhatTheEarlierVersionWrote() {
        for (Document document : STORED) {
            String collection = document.get("_id").equals(document.get("aggregateIdentifier"))
                    ? "snapshotevents" : "domainevents";
            store().getCollection(collection).insertOne(document);
        }
    }

    @Test
    void readsTheEventsAsTheEarlierVersionMeantThem() {
        assertThat(payloadsOf("1", 0)).containsExactly(
                new ProductAddedEvent("1", "Product 1", 10),
                new OrderPlacedEvent("1", "1", 1));
        assertThat(payloadsOf("p2", 0)).startsWith(
                new ProductAddedEvent("p2", "Second", 5),
                new ProductRestockedEvent("p2", 3),
                new OrderPlacedEvent("o2", "p2", 2));
    }

    @Test
    void writesANewEventInTheFormTheEarlierVersionWrote() {
        ResponseEntity<String> placed = post("/orders", order("after-upgrade", "1", 1));

        assertThat(placed.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        Document written = domainEvents().find(Filters.eq("_id", "1/2")).first();
        Document earlier = stored("1/1");
        assertThat(written).isNotNull();
        assertThat(written.getString("serializedPayload"))
                .isEqualTo("{\"orderId\":\"after-upgrade\",\"productId\":\"1\",\"quantity\":1}");
        assertThat(written.keySet()).isEqualTo(earlier.keySet());
        for (String field : List.of("type", "payloadType", "payloadRevision")) {
            assertThat(written.get(field)).as(field).isEqualTo(earlier.get(field));
        }
        assertThat(Document.parse(written.getString("serializedMetaData")).keySet())
                .isEqualTo(Document.parse(earlier.getString("serializedMetaData")).keySet());
        assertThat(written.getString("timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    }

    @Test
    void resumesAProductFromTheEarlierVersionsSnapshot() {
        // The snapshot remembers order s5 and a stock of 486; no event follows it.
        ResponseEntity<String> repeat = post("/orders", order("s5", "p2", 1));
        ResponseEntity<String> tooMuch = post("/orders", order("fresh-1", "p2", 487));
        ResponseEntity<String> all = post("/orders", order("fresh-2", "p2", 486));

        assertThat(repeat.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        assertThat(repeat.getBody()).isEqualTo("{\"orderId\":\"s5\",\"productId\":\"p2\",\"quantity\":1}");
        assertThat(tooMuch.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(tooMuch.getBody()).contains("\"available\":486");
        assertThat(all.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        assertThat(payloadsOf("p2", 524)).containsExactly(new OrderPlacedEvent("fresh-2", "p2", 486));
    }

    private MongoCollection<Document> domainEvents() {
        return store().getCollection("domainevents");
    }

    private static Document stored(String id) {
        return STORED.stream().filter(document -> id.equals(document.get("_id"))).findFirst().orElseThrow();
    }

    private static List<Document> storedDocuments() {
        try (InputStream in = StoredByEarlierVersionTest.class.getResourceAsStream("/stored-by-0.1.0/shop_write.jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(Document::parse).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
