package io.github.orderstock.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Sorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
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
@ExtendWith(TestStacks.LogsOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {

    private static final String ORIGINAL_ORDER = """
            {"orderId":"1","productId":"1","quantity":"1"}""";
    private static final Duration PROPAGATION = Duration.ofSeconds(30);

    // Kept when a test fails, for the children's logs.
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dataDir;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static StackOptions options;
    private static Stack stack;

    @BeforeAll
    static void startStack() {
        options = TestStacks.options(dataDir);
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

        HttpResponse<String> placed = post(options.commandPort(), "/orders", ORIGINAL_ORDER);
        assertThat(placed.statusCode()).as(describe(placed)).isEqualTo(201);
        assertThat(placed.headers().firstValue("Location")).as("Location of " + describe(placed)).isPresent();
        assertThat(json(placed)).isEqualTo(Document.parse("""
                {"orderId":"1","productId":"1","quantity":1}"""));
        awaitQuantity("1", 9);

        HttpResponse<String> repeated = post(options.commandPort(), "/orders", ORIGINAL_ORDER);
        assertThat(repeated.statusCode()).as(describe(repeated)).isEqualTo(201);
        assertThat(json(repeated)).isEqualTo(json(placed));
        assertThat(repeated.headers().firstValue("Location")).isEqualTo(placed.headers().firstValue("Location"));

        HttpResponse<String> added = post(options.commandPort(), "/products", """
                {"productId":"2","name":"Tea","quantity":5}""");
        assertThat(added.statusCode()).as(describe(added)).isEqualTo(201);
        awaitQuantity("2", 5);
        assertThat(quantity("1")).as("stock of product 1 after a repeated order").isEqualTo(9);

        HttpResponse<String> oversold = post(options.commandPort(), "/orders", """
                {"orderId":"100","productId":"1","quantity":100}""");
        assertThat(oversold.statusCode()).as(describe(oversold)).isEqualTo(409);
        assertThat(oversold.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));

        HttpResponse<String> restocked = post(options.commandPort(), "/products/2/restock", """
                {"quantity":3}""");
        assertThat(restocked.statusCode()).as(describe(restocked)).isEqualTo(200);
        awaitQuantity("2", 8);
        assertThat(quantity("1")).as("stock of product 1 after a rejected order").isEqualTo(9);

        HttpResponse<String> teaOrder = post(options.commandPort(), "/orders", """
                {"orderId":"2","productId":"2","quantity":2}""");
        assertThat(teaOrder.statusCode()).as(describe(teaOrder)).isEqualTo(201);
        awaitQuantity("2", 6);
        await().atMost(PROPAGATION).untilAsserted(() -> {
            HttpResponse<String> order = get(options.queryPort(), "/orders/1");
            assertThat(order.statusCode()).as(describe(order)).isEqualTo(200);
            assertThat(json(order)).as(describe(order)).containsAllEntriesOf(Document.parse("""
                    {"orderId":"1","productId":"1","quantity":1}"""));
        });
        assertThat(productList()).containsEntry("1", 9).containsEntry("2", 6);

        List<Document> live = readModel();
        assertThat(live).extracting(document -> document.get("productId")).containsExactlyInAnyOrder("1", "2");

        long replayStarted = System.nanoTime();
        HttpResponse<String> anonymous = post(options.queryPort(), "/admin/replay", "");
        assertThat(anonymous.statusCode()).as("replay without credentials: " + describe(anonymous)).isEqualTo(401);
        HttpResponse<String> replay = send(HttpRequest.newBuilder(uri(options.queryPort(), "/admin/replay"))
                .header("Authorization", adminCredentials()).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(replay.statusCode()).as(describe(replay)).isEqualTo(202);
        assertThat(json(replay).getString("state")).isIn("RUNNING", "COMPLETED");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> status = send(HttpRequest.newBuilder(uri(options.queryPort(), "/admin/replay"))
                    .header("Authorization", adminCredentials()).GET());
            assertThat(status.statusCode()).as(describe(status)).isEqualTo(200);
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
        HttpResponse<String> added = post(options.commandPort(), "/products", """
                {"productId":"3","name":"Coffee","quantity":1}""");
        assertThat(added.statusCode()).as(describe(added)).isEqualTo(201);
        awaitQuantity("3", 1);
        assertThat(quantity("1")).as("stock of product 1 after the restart").isEqualTo(9);

        // The write model agrees: 10 would fit a re-seeded stock of 10 or 19, not 9.
        HttpResponse<String> ten = post(options.commandPort(), "/orders", """
                {"orderId":"3","productId":"1","quantity":10}""");
        assertThat(ten.statusCode()).as(describe(ten)).isEqualTo(409);

        HttpResponse<String> repeated = post(options.commandPort(), "/orders", ORIGINAL_ORDER);
        assertThat(repeated.statusCode()).as("original order repeated after the restart: " + describe(repeated))
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

        HttpResponse<String> placed = post(options.commandPort(), "/orders", """
                {"orderId":"during-outage","productId":"3","quantity":1}""");
        assertThat(placed.statusCode()).as("order while Kafka is down: " + describe(placed)).isEqualTo(201);
        assertThat(quantity("3")).as("the read model cannot know it yet").isEqualTo(1);

        long restarted = System.nanoTime();
        stack.kafka().start();
        // The publisher retries at least every 2 s; the broker's start and the consumer's reconnect take the rest.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(quantity("3"))
                .as("stock of product 3 after Kafka came back").isEqualTo(0));
        System.out.printf("Order taken during the outage applied %.1f s after Kafka restarted%n",
                (System.nanoTime() - restarted) / 1e9);
        assertThat(get(options.queryPort(), "/orders/during-outage").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void everyDocumentedExampleOfTheQuerySideGetsItsStatus() {
        HttpResponse<String> docs = get(options.queryPort(), "/v3/api-docs");
        assertThat(docs.statusCode()).as(describe(docs)).isEqualTo(200);
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
                    HttpResponse<String> response = get(options.queryPort(),
                            path.replace("{" + parameter.getString("name") + "}", value));
                    assertThat(response.statusCode()).as("example '" + name + "': " + describe(response))
                            .isEqualTo(Integer.parseInt(expected));
                    checked++;
                }
            }
        }
        assertThat(checked).as("documented examples").isGreaterThanOrEqualTo(5);
    }

    private static Stack start(StackOptions options) {
        var started = new Stack(options);
        TestStacks.LogsOnFailure.watch(started);
        long begin = System.nanoTime();
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
        HttpResponse<String> response = get(options.queryPort(), "/products/" + productId);
        if (response.statusCode() == 404) {
            return null;
        }
        assertThat(response.statusCode()).as(describe(response)).isEqualTo(200);
        Document product = json(response);
        assertThat(product.getString("productId")).isEqualTo(productId);
        return ((Number) product.get("quantity")).intValue();
    }

    private static String adminCredentials() {
        return "Basic " + Base64.getEncoder().encodeToString((Stack.ADMIN_USER + ":" + stack.adminPassword())
                .getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Integer> productList() {
        HttpResponse<String> response = get(options.queryPort(), "/products");
        assertThat(response.statusCode()).as(describe(response)).isEqualTo(200);
        return Document.parse("{\"products\":" + response.body() + "}").getList("products", Document.class).stream()
                .collect(Collectors.toMap(p -> p.getString("productId"), p -> ((Number) p.get("quantity")).intValue()));
    }

    private static List<Document> readModel() {
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + options.mongoPort())) {
            return client.getDatabase("shop_read").getCollection("products").find().sort(Sorts.ascending("_id"))
                    .into(new ArrayList<>());
        }
    }

    private static Document json(HttpResponse<String> response) {
        return Document.parse(response.body());
    }

    private static String describe(HttpResponse<String> response) {
        return response.request().method() + " " + response.request().uri() + " -> " + response.statusCode() + " "
                + response.headers().firstValue("Content-Type").orElse("") + " " + response.body();
    }

    private static HttpResponse<String> get(int port, String path) {
        return send(HttpRequest.newBuilder(uri(port, path)).GET());
    }

    private static HttpResponse<String> post(int port, String path, String json) {
        return send(HttpRequest.newBuilder(uri(port, path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("HTTP request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted", e);
        }
    }
}
