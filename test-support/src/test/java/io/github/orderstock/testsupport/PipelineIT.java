package io.github.orderstock.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.model.Sorts;
import io.github.orderstock.devstack.StackOptions;
import io.github.orderstock.testsupport.ShopClient.Response;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole stack through HTTP, as a user meets it: the seed, the original order, duplicates, an oversell, a second
 * product, a replay that rebuilds the same documents, a restart on the same data, and a Kafka outage.
 */
@ExtendWith(LogsOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {

    private static final String ORIGINAL_ORDER = """
            {"orderId":"1","productId":"1","quantity":"1"}""";
    private static final Duration PROPAGATION = Duration.ofSeconds(30);

    // Kept when a test fails, for the children's logs.
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dataDir;

    private static StackOptions options;
    private static TestStack stack;

    @BeforeAll
    static void startStack() {
        options = TestStackOptions.single(null, dataDir, "h2");
        stack = start(options);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void ordersChangeStockExactlyOnceAndAReplayRebuildsTheSameDocuments() {
        awaitQuantity("1", 10);

        Response placed = expect(201, post(stack.commandUrl(), "/orders", ORIGINAL_ORDER));
        assertThat(placed.location()).as("Location of " + describe(placed)).isPresent();
        assertThat(json(placed)).isEqualTo(Document.parse("""
                {"orderId":"1","productId":"1","quantity":1}"""));
        awaitQuantity("1", 9);

        Response repeated = expect(201, post(stack.commandUrl(), "/orders", ORIGINAL_ORDER));
        assertThat(json(repeated)).isEqualTo(json(placed));
        assertThat(repeated.location()).isEqualTo(placed.location());

        expect(201, post(stack.commandUrl(), "/products", """
                {"productId":"2","name":"Tea","quantity":5}"""));
        awaitQuantity("2", 5);
        assertThat(quantity("1")).as("stock of product 1 after a repeated order").isEqualTo(9);

        Response oversold = expect(409, post(stack.commandUrl(), "/orders", """
                {"orderId":"100","productId":"1","quantity":100}"""));
        assertThat(oversold.contentType()).startsWith("application/problem+json");

        expect(200, post(stack.commandUrl(), "/products/2/restock", """
                {"quantity":3}"""));
        awaitQuantity("2", 8);
        assertThat(quantity("1")).as("stock of product 1 after a rejected order").isEqualTo(9);

        expect(201, post(stack.commandUrl(), "/orders", """
                {"orderId":"2","productId":"2","quantity":2}"""));
        awaitQuantity("2", 6);
        await().atMost(PROPAGATION).untilAsserted(() -> {
            Response order = get(stack.queryUrl(), "/orders/1");
            assertThat(order.status()).as(describe(order)).isEqualTo(200);
            assertThat(json(order)).as(describe(order)).containsAllEntriesOf(Document.parse("""
                    {"orderId":"1","productId":"1","quantity":1}"""));
        });
        assertThat(productList()).containsEntry("1", 9).containsEntry("2", 6);

        List<Document> live = readModel();
        assertThat(live).extracting(document -> document.get("productId")).containsExactlyInAnyOrder("1", "2");

        long replayStarted = System.nanoTime();
        Response anonymous = post(stack.queryUrl(), "/admin/replay", "");
        assertThat(anonymous.status()).as("replay without credentials: " + describe(anonymous)).isEqualTo(401);
        Response replay = admin("POST", "/admin/replay");
        assertThat(replay.status()).as(describe(replay)).isEqualTo(202);
        assertThat(json(replay).getString("state")).isIn("RUNNING", "COMPLETED");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Response status = admin("GET", "/admin/replay");
            assertThat(status.status()).as(describe(status)).isEqualTo(200);
            assertThat(json(status).getString("state")).as(describe(status)).isEqualTo("COMPLETED");
        });
        System.out.printf("Replay completed in %.1f s%n", (System.nanoTime() - replayStarted) / 1e9);

        assertThat(readModel()).as("shop_read.products after the replay").isEqualTo(live);
    }

    @Test
    @Order(2)
    void aRestartOnTheSameDataKeepsStockAndDoesNotSeedAgain() {
        assertThat(quantity("1")).as("stock of product 1 before the restart").isEqualTo(9);

        stack.close();
        stack = start(options);

        awaitQuantity("1", 9);
        expect(201, post(stack.commandUrl(), "/products", """
                {"productId":"3","name":"Coffee","quantity":1}"""));
        awaitQuantity("3", 1);
        assertThat(quantity("1")).as("stock of product 1 after the restart").isEqualTo(9);

        // The write model agrees: 10 would fit a re-seeded stock of 10 or 19, not 9.
        expect(409, post(stack.commandUrl(), "/orders", """
                {"orderId":"3","productId":"1","quantity":10}"""));

        Response repeated = post(stack.commandUrl(), "/orders", ORIGINAL_ORDER);
        assertThat(repeated.status()).as("original order repeated after the restart: " + describe(repeated))
                .isEqualTo(201);
        assertThat(json(repeated)).isEqualTo(Document.parse("""
                {"orderId":"1","productId":"1","quantity":1}"""));
        assertThat(productList()).containsEntry("1", 9).containsEntry("2", 6).containsEntry("3", 1);
    }

    @Test
    @Order(3)
    void anOrderTakenWhileKafkaIsDownIsPublishedWhenItIsBack() {
        awaitQuantity("3", 1);
        stack.kafka().kill();

        Response placed = post(stack.commandUrl(), "/orders", """
                {"orderId":"during-outage","productId":"3","quantity":1}""");
        assertThat(placed.status()).as("order while Kafka is down: " + describe(placed)).isEqualTo(201);
        assertThat(quantity("3")).as("the read model cannot know it yet").isEqualTo(1);

        long restarted = System.nanoTime();
        stack.kafka().start();
        // The publisher retries at least every 2 s; the broker's start and the consumer's reconnect take the rest.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(quantity("3"))
                .as("stock of product 3 after Kafka came back").isEqualTo(0));
        System.out.printf("Order taken during the outage applied %.1f s after Kafka restarted%n",
                (System.nanoTime() - restarted) / 1e9);
        assertThat(get(stack.queryUrl(), "/orders/during-outage").status()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void everyDocumentedExampleOfTheQuerySideGetsItsStatus() {
        Response docs = get(stack.queryUrl(), "/v3/api-docs");
        assertThat(docs.status()).as(describe(docs)).isEqualTo(200);
        int checked = 0;
        Document paths = json(docs).get("paths", Document.class);
        for (String path : paths.keySet()) {
            Document operation = paths.get(path, Document.class).get("get", Document.class);
            if (operation == null || operation.getList("parameters", Document.class) == null) {
                continue;
            }
            for (Document parameter : operation.getList("parameters", Document.class)) {
                Document examples = parameter.get("examples", Document.class);
                for (String name : examples == null ? List.<String>of() : examples.keySet()) {
                    String value = String.valueOf(examples.get(name, Document.class).get("value"));
                    String expected = name.substring(0, 3);
                    assertThat(operation.get("responses", Document.class)).as(path + " documents " + expected)
                            .containsKey(expected);
                    Response response = get(stack.queryUrl(),
                            path.replace("{" + parameter.getString("name") + "}", value));
                    assertThat(response.status()).as("example '" + name + "': " + describe(response))
                            .isEqualTo(Integer.parseInt(expected));
                    if (response.status() >= 400) {
                        Document documented = operation.get("responses", Document.class).get(expected, Document.class);
                        assertThat(documented.get("content", Document.class).keySet()).as(path + " " + expected)
                                .containsExactly("application/problem+json");
                    }
                    checked++;
                }
            }
        }
        assertThat(checked).as("documented examples").isGreaterThanOrEqualTo(5);
    }

    private static TestStack start(StackOptions options) {
        long begin = System.nanoTime();
        var started = new TestStack(options);
        LogsOnFailure.watch(started);
        started.start();
        System.out.printf("Stack started in %.1f s%n", (System.nanoTime() - begin) / 1e9);
        return started;
    }

    private static void awaitQuantity(String productId, int expected) {
        await().atMost(PROPAGATION).untilAsserted(() -> assertThat(quantity(productId))
                .as("stock of product %s read from query-side", productId).isEqualTo(expected));
    }

    /** The product's quantity as query-side reports it, or null while it does not know the product. */
    private static Integer quantity(String productId) {
        Response response = get(stack.queryUrl(), "/products/" + productId);
        if (response.status() == 404) {
            return null;
        }
        assertThat(response.status()).as(describe(response)).isEqualTo(200);
        Document product = json(response);
        assertThat(product.getString("productId")).isEqualTo(productId);
        return ((Number) product.get("quantity")).intValue();
    }

    private static Map<String, Integer> productList() {
        Response response = get(stack.queryUrl(), "/products");
        assertThat(response.status()).as(describe(response)).isEqualTo(200);
        return Document.parse("{\"products\":" + response.body() + "}").getList("products", Document.class).stream()
                .collect(Collectors.toMap(p -> p.getString("productId"), p -> ((Number) p.get("quantity")).intValue()));
    }

    private static List<Document> readModel() {
        return stack.mongo().getDatabase("shop_read").getCollection("products").find().sort(Sorts.ascending("_id"))
                .into(new ArrayList<>());
    }

    private static Document json(Response response) {
        return response.json();
    }

    private static Response expect(int status, Response response) {
        assertThat(response.status()).as(describe(response)).isEqualTo(status);
        return response;
    }

    private static String describe(Response response) {
        return response.toString();
    }

    private static Response get(String base, String path) {
        return stack.http().getOrFail(base, path);
    }

    private static Response post(String base, String path, String json) {
        return stack.http().postOrFail(base, path, json);
    }

    private static Response admin(String method, String path) {
        try {
            return stack.http().admin(method, stack.queryUrl(), path);
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        }
    }
}
