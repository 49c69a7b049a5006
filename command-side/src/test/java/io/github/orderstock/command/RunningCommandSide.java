package io.github.orderstock.command;

import java.util.ArrayList;
import java.util.List;

import com.mongodb.client.MongoDatabase;
import io.github.orderstock.support.testing.InMemoryMongo;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The command side as it runs, on a port of its own and on the MongoDB stand-in (memory backend), without Kafka: the
 * publisher is off here and covered by the pipeline integration test. Each test class starts it on an empty store;
 * a class adds its settings with {@code @TestPropertySource} and puts what the store must hold before the service
 * starts in a {@code @BeforeAll} of its own (it runs after {@link #startOnAnEmptyStore()}).
 */
@AutoConfigureTestRestTemplate
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "app.publisher.enabled=false")
@DirtiesContext // closed after its class, so that nothing of it still runs when the next class empties the store
abstract class RunningCommandSide {

    static final String DATABASE = "shop_write";
    /** One stand-in for the module's test run; it outlives the services, which are closed after their class. */
    private static final InMemoryMongo STAND_IN = InMemoryMongo.forTheClass();

    @Autowired
    TestRestTemplate http;
    @Autowired
    EventStorageEngine events;

    @BeforeAll
    static void startOnAnEmptyStore() {
        store().drop();
    }

    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", () -> STAND_IN.uri(DATABASE));
    }

    static MongoDatabase store() {
        return STAND_IN.database(DATABASE);
    }

    ResponseEntity<String> post(String path, String json) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return http.postForEntity(path, new HttpEntity<>(json, headers), String.class);
    }

    static String order(String orderId, String productId, int quantity) {
        return "{\"orderId\":\"%s\",\"productId\":\"%s\",\"quantity\":%d}".formatted(orderId, productId, quantity);
    }

    List<Object> payloadsOf(String productId, long from) {
        List<Object> payloads = new ArrayList<>();
        events.readEvents(productId, from).asStream().map(DomainEventMessage::getPayload).forEach(payloads::add);
        return payloads;
    }
}
