package io.github.orderstock.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.github.orderstock.events.OrderPlacedEvent;
import io.github.orderstock.events.ProductAddedEvent;
import io.github.orderstock.events.ProductRestockedEvent;
import io.github.orderstock.support.testing.InMemoryMongo;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Events and a snapshot written by version 0.1.0 (Spring Boot 3.5.16, before the move to Boot 4 and an explicitly
 * configured Jackson 2 mapper) are read as they were meant, and new events are written in the same form. The
 * documents in {@code stored-by-0.1.0/shop_write.jsonl} were copied out of a 0.1.0 dev stack's MongoDB after the
 * original order, a product {@code p2} with a restock and 521 orders (a snapshot at sequence 523).
 */
@AutoConfigureTestRestTemplate
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "app.publisher.enabled=false",
        "app.seed.enabled=false"})
class StoredByEarlierVersionTest {

    @RegisterExtension
    static final InMemoryMongo MONGO = InMemoryMongo.forTheClass();
    private static final String MONGO_URI = MONGO.uri("shop_write");
    private static final List<Document> STORED = storedDocuments();

    static {
        try (MongoClient client = MongoClients.create(MONGO_URI)) {
            var database = client.getDatabase("shop_write");
            for (Document document : STORED) {
                String collection = document.get("_id").equals(document.get("aggregateIdentifier"))
                        ? "snapshotevents" : "domainevents";
                database.getCollection(collection).insertOne(document);
            }
        }
    }

    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", () -> MONGO_URI);
    }

    @Autowired
    TestRestTemplate http;
    @Autowired
    EventStorageEngine events;
    @Autowired
    MongoClient mongo;

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
        ResponseEntity<String> placed = post(order("after-upgrade", "1", 1));

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
        ResponseEntity<String> repeat = post(order("s5", "p2", 1));
        ResponseEntity<String> tooMuch = post(order("fresh-1", "p2", 487));
        ResponseEntity<String> all = post(order("fresh-2", "p2", 486));

        assertThat(repeat.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        assertThat(repeat.getBody()).isEqualTo("{\"orderId\":\"s5\",\"productId\":\"p2\",\"quantity\":1}");
        assertThat(tooMuch.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(tooMuch.getBody()).contains("\"available\":486");
        assertThat(all.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        assertThat(payloadsOf("p2", 524)).containsExactly(new OrderPlacedEvent("fresh-2", "p2", 486));
    }

    private List<Object> payloadsOf(String productId, long from) {
        List<Object> payloads = new ArrayList<>();
        events.readEvents(productId, from).asStream().map(DomainEventMessage::getPayload).forEach(payloads::add);
        return payloads;
    }

    private MongoCollection<Document> domainEvents() {
        return mongo.getDatabase("shop_write").getCollection("domainevents");
    }

    private static Document stored(String id) {
        return STORED.stream().filter(document -> id.equals(document.get("_id"))).findFirst().orElseThrow();
    }

    private ResponseEntity<String> post(String body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return http.postForEntity("/orders", new HttpEntity<>(body, headers), String.class);
    }

    private static String order(String orderId, String productId, int quantity) {
        return "{\"orderId\":\"%s\",\"productId\":\"%s\",\"quantity\":%d}".formatted(orderId, productId, quantity);
    }

    private static List<Document> storedDocuments() {
        try (InputStream in = StoredByEarlierVersionTest.class.getResourceAsStream("/stored-by-0.1.0/shop_write.jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(Document::parse).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
