package io.github.orderstock.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.orderstock.events.OrderPlacedEvent;
import org.axonframework.eventhandling.DomainEventMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Sends thousands of mutated order bodies (seeded, reproducible with -Dfuzz.seed=N) to the running command side and
 * checks the contract on every answer: never a 5xx, a 201 with the order or a problem+json, and exactly one stored
 * event per order id that got a 201.
 */
class RandomizedOrderInputTest extends RunningCommandSide {

    private static final int BODIES = Integer.getInteger("fuzz.bodies", 3_000);
    private static final long SEED = Long.getLong("fuzz.seed", 20261124L);

    private static final List<String> ODD_VALUES = List.of("null", "true", "false", "0", "-1", "1.5", "1e3", "1E-2",
            "-0", "2147483648", "99999999999999999999", "\"\"", "\" \"", "\"abc\"", "\"1\"", "\" 1\"", "\"+1\"",
            "\"1.0\"", "\"0x1\"", "\"١\"", "[]", "[1]", "{}", "{\"$gt\":\"\"}", "{\"$regex\":\".*\"}", "\"$where\"",
            "\"a.b\"", "\"a\\u0000b\"", "\"\\u200B\"", "\"" + "x".repeat(65) + "\"", "\"😀\"", "NaN", "Infinity");
    private static final List<String> ORDER_IDS = List.of("o-1", "o-2", "o-3", "o-4", "o-5");
    private static final List<String> PRODUCT_IDS = List.of("1", "fuzz", "fuzz", "nope");

    @LocalServerPort
    int port;
    @Autowired
    ObjectMapper json;

    /** Sends bytes as they are, broken text included. */
    private final HttpClient rawHttp = HttpClient.newHttpClient();

    @Test
    void everyMutatedBodyGetsASuccessOrAProblemAndOnlySuccessesStoreEvents() throws Exception {
        assertThat(send("/products", "{\"productId\":\"fuzz\",\"name\":\"Fuzz\",\"quantity\":1000000}".getBytes(
                StandardCharsets.UTF_8)).statusCode()).isEqualTo(201);
        Random random = new Random(SEED);
        Map<Integer, Integer> statuses = new TreeMap<>();
        Set<String> placed = new HashSet<>();
        for (int i = 0; i < BODIES; i++) {
            byte[] body = mutate(random, i);
            HttpResponse<String> response = send("/orders", body);
            int status = response.statusCode();
            statuses.merge(status, 1, Integer::sum);
            String what = "body #%d %s -> %d %s".formatted(i, new String(body, StandardCharsets.UTF_8), status,
                    response.body());
            assertThat(status).as(what).isLessThan(500);
            if (status == 201) {
                JsonNode order = json.readTree(response.body());
                assertThat(response.headers().firstValue("Content-Type")).as(what).hasValue("application/json");
                placed.add(order.path("orderId").asText());
            } else {
                assertThat(status).as(what).isBetween(400, 499);
                assertThat(response.headers().firstValue("Content-Type")).as(what)
                        .hasValue("application/problem+json");
                JsonNode problem = json.readTree(response.body());
                assertThat(problem.path("status").asInt()).as(what).isEqualTo(status);
                assertThat(problem.path("detail").asText()).as(what).isNotBlank()
                        .doesNotContain("Exception", "java.", "at io.");
            }
        }
        List<String> stored = new ArrayList<>();
        for (String productId : List.of("1", "fuzz")) {
            events.readEvents(productId, 0).asStream().map(DomainEventMessage::getPayload)
                    .filter(OrderPlacedEvent.class::isInstance)
                    .forEach(event -> stored.add(((OrderPlacedEvent) event).orderId()));
        }
        System.out.printf("%d mutated bodies (seed %d): answers by status %s; %d order ids placed, %d events%n",
                BODIES, SEED, statuses, placed.size(), stored.size());
        assertThat(stored).as("one event per order id that got a 201").hasSameSizeAs(placed)
                .containsExactlyInAnyOrderElementsOf(placed);
        assertThat(statuses).as("the mix of answers").containsKeys(201, 400, 404, 409);
    }

    /** A valid body, then zero to three mutations: odd values, missing, unknown or doubled fields, broken text. */
    private static byte[] mutate(Random random, int i) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("orderId", random.nextInt(4) == 0 ? quote(pick(random, ORDER_IDS)) : quote("f-" + i));
        fields.put("productId", quote(pick(random, PRODUCT_IDS)));
        fields.put("quantity", random.nextBoolean() ? String.valueOf(1 + random.nextInt(3))
                : quote(String.valueOf(1 + random.nextInt(3))));
        List<String> names = new ArrayList<>(fields.keySet());
        String extra = "";
        for (int m = random.nextInt(4); m > 0; m--) {
            switch (random.nextInt(4)) {
                case 0 -> fields.put(pick(random, names), pick(random, ODD_VALUES));
                case 1 -> fields.remove(pick(random, names));
                case 2 -> extra = ",\"" + pick(random, List.of("price", "orderId", "$where", "quantity")) + "\":"
                        + pick(random, ODD_VALUES);
                default -> {
                }
            }
        }
        StringBuilder text = new StringBuilder("{");
        fields.forEach((name, value) -> text.append(text.length() > 1 ? "," : "").append('"').append(name)
                .append("\":").append(value));
        text.append(extra).append('}');
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        return random.nextInt(5) == 0 ? breakText(random, bytes) : bytes;
    }

    private static byte[] breakText(Random random, byte[] bytes) {
        int at = random.nextInt(bytes.length);
        return switch (random.nextInt(4)) {
            case 0 -> Arrays.copyOf(bytes, at);
            case 1 -> {
                byte[] changed = bytes.clone();
                changed[at] = (byte) random.nextInt(256);
                yield changed;
            }
            case 2 -> (new String(bytes, StandardCharsets.UTF_8)
                    + pick(random, List.of("}", ",", " x", "{}", "\u0000"))).getBytes(StandardCharsets.UTF_8);
            default -> {
                byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
                System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                longer[at] = pick(random, List.of((byte) '"', (byte) '{', (byte) '[', (byte) ':', (byte) '\\',
                        (byte) 0xFF));
                yield longer;
            }
        };
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String quote(String value) {
        return '"' + value + '"';
    }

    private HttpResponse<String> send(String path, byte[] body) throws Exception {
        return rawHttp.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
