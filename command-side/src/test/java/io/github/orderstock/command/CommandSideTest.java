package io.github.orderstock.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.orderstock.command.config.ProductSeederAccess;
import io.github.orderstock.events.OrderPlacedEvent;
import io.github.orderstock.events.ProductAddedEvent;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventhandling.DomainEventMessage;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;

/**
 * The command side's answers over HTTP and what it stores for them: health, orders, repeats, products, snapshots.
 */
@TestPropertySource(properties = {
        "app.http.query-side-url=http://reads.example:3001",
        "app.products.snapshot-every=50"})
@org.springframework.context.annotation.Import(ProductSeederAccess.class)
class CommandSideTest extends RunningCommandSide {

    @Autowired
    Cache productCache;
    @Autowired
    ProductSeederAccess seeder;

    @Test
    void answersHealthToAnyoneWithoutDetails() {
        ResponseEntity<String> health = http.getForEntity("/actuator/health", String.class);
        ResponseEntity<String> readiness = http.getForEntity("/actuator/health/readiness", String.class);

        assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(health.getBody()).isEqualTo("{\"status\":\"UP\",\"groups\":[\"liveness\",\"readiness\"]}");
        assertThat(readiness.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(readiness.getBody()).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void refusesMetricsWithoutCredentialsAsAProblem() {
        ResponseEntity<String> metrics = http.getForEntity("/actuator/metrics", String.class);

        assertThat(metrics.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(metrics.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(metrics.getBody()).isEqualTo("""
                {"type":"about:blank","title":"Authentication required","status":401,\
                "detail":"This needs the admin's credentials: HTTP Basic with ADMIN_USER and ADMIN_PASSWORD.",\
                "instance":"/actuator/metrics"}""");
    }

    @Test
    void seedsProductOneOnceEvenWhenTheSeedRunsAgain() throws Exception {
        seeder.runAgain();

        assertThat(eventsOf("1")).filteredOn(ProductAddedEvent.class::isInstance)
                .containsExactly(new ProductAddedEvent("1", "Product 1", 10));
    }

    @Test
    void placesTheOriginalOrderWithQuantityAsString() {
        addProduct("p-orig", 10);

        ResponseEntity<String> response = post("/orders", """
                {"orderId":"orig-1","productId":"p-orig","quantity":"1"}""");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        assertThat(response.getHeaders().getLocation()).hasToString("http://reads.example:3001/orders/orig-1");
        assertThat(response.getBody()).isEqualTo("{\"orderId\":\"orig-1\",\"productId\":\"p-orig\",\"quantity\":1}");
        assertThat(eventsOf("p-orig")).contains(new OrderPlacedEvent("orig-1", "p-orig", 1));
    }

    @Test
    void answersAnIdenticalRepeatWithTheOriginalAnswerAndPlacesNothing() {
        addProduct("p-rep", 10);
        ResponseEntity<String> first = post("/orders", order("rep-1", "p-rep", 2));

        ResponseEntity<String> repeat = post("/orders", order("rep-1", "p-rep", 2));

        assertThat(repeat.getStatusCode()).isEqualTo(first.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        assertThat(repeat.getBody()).isEqualTo(first.getBody());
        assertThat(repeat.getHeaders().getLocation()).isEqualTo(first.getHeaders().getLocation());
        assertThat(placedOrders("p-rep")).containsExactly(new OrderPlacedEvent("rep-1", "p-rep", 2));
    }

    @Test
    void rejectsAnOrderIdReusedWithAnotherBody() {
        addProduct("p-a", 10);
        addProduct("p-b", 10);
        post("/orders", order("used-1", "p-a", 1));

        ResponseEntity<String> otherQuantity = post("/orders", order("used-1", "p-a", 2));
        ResponseEntity<String> otherProduct = post("/orders", order("used-1", "p-b", 1));

        assertProblem(otherQuantity, HttpStatus.CONFLICT, "Order id already used");
        assertProblem(otherProduct, HttpStatus.CONFLICT, "Order id already used");
        assertThat(placedOrders("p-a")).containsExactly(new OrderPlacedEvent("used-1", "p-a", 1));
        assertThat(placedOrders("p-b")).isEmpty();
    }

    @Test
    void rejectsAnOrderLargerThanTheStockAndFreesItsOrderId() {
        addProduct("p-low", 3);

        ResponseEntity<String> tooMuch = post("/orders", order("low-1", "p-low", 100));

        assertProblem(tooMuch, HttpStatus.CONFLICT, "Insufficient stock");
        assertThat(tooMuch.getBody()).contains("\"available\":3", "\"requested\":100");
        assertThat(placedOrders("p-low")).isEmpty();
        assertThat(post("/orders", order("low-1", "p-low", 3)).getStatusCode()).isEqualTo(HttpStatus.CREATED);
    }

    @Test
    void rejectsAnOrderForAnUnknownProduct() {
        ResponseEntity<String> response = post("/orders", order("unknown-1", "no-such-product", 1));

        assertProblem(response, HttpStatus.NOT_FOUND, "Unknown product");
        assertThat(eventsOf("no-such-product")).isEmpty();
    }

    @Test
    void rejectsMalformedInputWithoutStoringAnything() {
        addProduct("p-bad", 10);

        assertProblem(post("/orders", "{\"orderId\":\"bad-1\",\"productId\":\"p-bad\",\"quantity\":\"abc\"}"),
                HttpStatus.BAD_REQUEST, "Malformed request body");
        assertProblem(post("/orders", order("bad-1", "p-bad", 0)), HttpStatus.BAD_REQUEST, "Invalid request");
        assertProblem(post("/orders", ""), HttpStatus.BAD_REQUEST, "Malformed request body");
        assertThat(placedOrders("p-bad")).isEmpty();
    }

    @Test
    void placesConcurrentIdenticalOrdersOnce() throws Exception {
        addProduct("p-storm", 10);
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Callable<ResponseEntity<String>>> requests = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                requests.add(() -> post("/orders", order("storm-1", "p-storm", 1)));
            }
            for (Future<ResponseEntity<String>> response : pool.invokeAll(requests)) {
                assertThat(response.get().getStatusCode()).isEqualTo(HttpStatus.CREATED);
                assertThat(response.get().getBody()).contains("\"orderId\":\"storm-1\"");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(placedOrders("p-storm")).containsExactly(new OrderPlacedEvent("storm-1", "p-storm", 1));
    }

    @Test
    void neverSellsMoreThanTheStockUnderConcurrentOrders() throws Exception {
        addProduct("p-race", 5);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<ResponseEntity<String>>> requests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String orderId = "race-" + i;
            requests.add(() -> post("/orders", order(orderId, "p-race", 1)));
        }
        int created = 0;
        int conflicts = 0;
        try {
            for (Future<ResponseEntity<String>> response : pool.invokeAll(requests)) {
                HttpStatus status = HttpStatus.valueOf(response.get().getStatusCode().value());
                created += status == HttpStatus.CREATED ? 1 : 0;
                conflicts += status == HttpStatus.CONFLICT ? 1 : 0;
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(created).isEqualTo(5);
        assertThat(conflicts).isEqualTo(15);
        assertThat(placedOrders("p-race")).hasSize(5);
    }

    @Test
    void addsAndRestocksProducts() {
        ResponseEntity<String> added = post("/products", """
                {"productId":"p-new","name":"Tea","quantity":5}""");
        ResponseEntity<String> again = post("/products", """
                {"productId":"p-new","name":"Tea","quantity":5}""");
        ResponseEntity<String> restocked = post("/products/p-new/restock", "{\"quantity\":3}");
        ResponseEntity<String> unknown = post("/products/p-none/restock", "{\"quantity\":3}");

        assertThat(added.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        assertThat(added.getHeaders().getLocation()).hasToString("http://reads.example:3001/products/p-new");
        assertProblem(again, HttpStatus.CONFLICT, "Product already exists");
        assertThat(restocked.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(restocked.getBody()).isEqualTo("{\"productId\":\"p-new\",\"restocked\":3,\"stock\":8}");
        assertProblem(unknown, HttpStatus.NOT_FOUND, "Unknown product");
        assertThat(eventsOf("p-new")).filteredOn(ProductAddedEvent.class::isInstance).hasSize(1);
    }

    @Test
    void recognisesRepeatsAndKeepsStockWhenLoadedFromASnapshot() {
        addProduct("p-snap", 1_000);
        for (int i = 0; i < 120; i++) {
            assertThat(post("/orders", order("snap-" + i, "p-snap", 1)).getStatusCode())
                    .isEqualTo(HttpStatus.CREATED);
        }
        // Snapshots are taken on a thread of their own.
        await().atMost(Duration.ofSeconds(10)).until(() -> store()
                .getCollection("snapshotevents").countDocuments(new Document("aggregateIdentifier", "p-snap")) > 0);

        productCache.removeAll();

        assertThat(post("/orders", order("snap-0", "p-snap", 1)).getStatusCode()).isEqualTo(HttpStatus.CREATED);
        assertThat(post("/orders", order("snap-too-much", "p-snap", 881)).getBody())
                .contains("\"available\":880");
        assertThat(placedOrders("p-snap")).hasSize(120);
    }

    @Test
    void keysEveryEventByItsPlaceInItsProductsStream() {
        addProduct("p-keys", 10);
        post("/orders", order("keys-1", "p-keys", 1));
        post("/orders", order("keys-2", "p-keys", 2));

        List<Object> ids = new ArrayList<>();
        store().getCollection("domainevents")
                .find(new Document("aggregateIdentifier", "p-keys")).forEach(document -> ids.add(document.get("_id")));
        assertThat(ids).containsExactlyInAnyOrder("p-keys/0", "p-keys/1", "p-keys/2");
        assertThat(eventsOf("p-keys")).hasSize(3);
        assertThat(events.readEvents("p-keys", 1).asStream().map(DomainEventMessage::getSequenceNumber))
                .containsExactly(1L, 2L);
    }

    private void addProduct(String productId, int quantity) {
        ResponseEntity<String> response = post("/products",
                "{\"productId\":\"%s\",\"name\":\"Test %s\",\"quantity\":%d}".formatted(productId, productId,
                        quantity));
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    }

    private static void assertProblem(ResponseEntity<String> response, HttpStatus status, String title) {
        assertThat(response.getStatusCode()).isEqualTo(status);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(response.getBody()).contains("\"title\":\"" + title + "\"", "\"status\":" + status.value());
    }

    private List<Object> eventsOf(String productId) {
        return payloadsOf(productId, 0);
    }

    private List<Object> placedOrders(String productId) {
        return eventsOf(productId).stream().filter(OrderPlacedEvent.class::isInstance).toList();
    }
}
