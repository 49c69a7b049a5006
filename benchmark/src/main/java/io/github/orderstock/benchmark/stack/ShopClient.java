package io.github.orderstock.benchmark.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.orderstock.benchmark.BenchmarkException;

/**
 * The services' API as the benchmark uses it: HTTP/1.1 with keep-alive, safe to share between threads. It never
 * retries on its own.
 */
public final class ShopClient {

    /** Where a replay stands, as {@code GET /admin/replay} tells it. */
    public record ReplayState(String state, Instant startedAt, Instant completedAt, long recordsToReplay,
                              long recordsReplayed) {

        public boolean completed() {
            return "COMPLETED".equals(state);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The query side clears the read model inside POST /admin/replay: on a large read model that takes a while. */
    static final Duration REPLAY_START_TIMEOUT = Duration.ofMinutes(10);

    /**
     * Connections {@link HttpURLConnection} keeps alive per server: its default, 5, would make most of 64 clients
     * open a new connection for every order. Read once, when the JDK's keep-alive cache is first used.
     */
    public static final int KEEP_ALIVE_CONNECTIONS = 128;

    private final URI commandUrl;
    private final URL ordersUrl;
    private final URI queryUrl;
    private final String adminAuthorization;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    public ShopClient(String commandUrl, String queryUrl, String adminUser, String adminPassword) {
        this.commandUrl = URI.create(commandUrl.replaceAll("/+$", ""));
        try {
            this.ordersUrl = this.commandUrl.resolve("/orders").toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("Not a URL: " + commandUrl, e);
        }
        this.queryUrl = URI.create(queryUrl.replaceAll("/+$", ""));
        this.adminAuthorization = adminPassword == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (adminUser + ":" + adminPassword).getBytes(StandardCharsets.UTF_8));
    }

    public URI commandUrl() {
        return commandUrl;
    }

    public URI queryUrl() {
        return queryUrl;
    }

    /** {@code POST /products}; anything but 201 is an error naming the answer. */
    public void addProduct(String productId, String name, int quantity) {
        String body = "{\"productId\":\"%s\",\"name\":\"%s\",\"quantity\":%d}".formatted(productId, name, quantity);
        HttpResponse<String> response;
        try {
            response = send(post(commandUrl, "/products", body));
        } catch (IOException e) {
            throw unreachable("the command side", commandUrl, e);
        }
        if (response.statusCode() != 201) {
            throw new BenchmarkException("POST %s/products for product '%s' answered %d %s; expected 201. Is %s the "
                    .formatted(commandUrl, productId, response.statusCode(), abbreviate(response.body()), commandUrl)
                    + "command side of this version?");
        }
    }

    /**
     * {@code POST /orders}: the status, or an IOException when no answer came. Sent with the JDK's blocking
     * {@link HttpURLConnection}, not {@link HttpClient}: the end-to-end phase sends 100,000s of orders from 64 threads
     * on the machine under test, and {@code HttpClient}'s asynchronous machinery took 0.4 ms of CPU per order (the
     * load generator used 53-80% of one of the two cores), which the services then lacked. The response body is read
     * to its end, so the connection goes back to the keep-alive cache ({@link #KEEP_ALIVE_CONNECTIONS}).
     */
    public int placeOrder(String orderId, String productId, int quantity) throws IOException {
        byte[] body = "{\"orderId\":\"%s\",\"productId\":\"%s\",\"quantity\":%d}".formatted(orderId, productId,
                quantity).getBytes(StandardCharsets.UTF_8);
        HttpURLConnection connection = (HttpURLConnection) ordersUrl.openConnection();
        connection.setConnectTimeout(2_000);
        connection.setReadTimeout((int) TIMEOUT.toMillis());
        connection.setRequestMethod("POST");
        connection.setRequestProperty("Content-Type", "application/json");
        connection.setRequestProperty("Accept", "application/json");
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body);
        }
        int status = connection.getResponseCode();
        InputStream answer = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        if (answer != null) {
            try (answer) {
                answer.readAllBytes();
            }
        }
        return status;
    }

    /** {@code GET /products/{id}}: the stock, or empty if the read model does not have the product (404). */
    public OptionalInt stock(String productId) throws IOException {
        HttpResponse<String> response = send(get(queryUrl, "/products/" + productId));
        if (response.statusCode() == 404) {
            return OptionalInt.empty();
        }
        requireOk(response, 200);
        return OptionalInt.of(JSON.readTree(response.body()).path("quantity").asInt());
    }

    /** {@code GET /products}: every product's stock, by id. */
    public Map<String, Integer> stocks() throws IOException {
        HttpResponse<String> response = send(get(queryUrl, "/products"));
        requireOk(response, 200);
        Map<String, Integer> stocks = new LinkedHashMap<>();
        JsonNode products = JSON.readTree(response.body());
        JsonNode items = products.isArray() ? products : products.path("content");
        for (JsonNode product : items) {
            stocks.put(product.path("productId").asText(), product.path("quantity").asInt());
        }
        return stocks;
    }

    /** {@code POST /admin/replay}; expects 202. */
    public void startReplay() {
        HttpResponse<String> response;
        try {
            response = send(admin(HttpRequest.newBuilder(queryUrl.resolve("/admin/replay"))
                    .POST(HttpRequest.BodyPublishers.noBody())), REPLAY_START_TIMEOUT);
        } catch (HttpTimeoutException e) {
            throw new BenchmarkException(("POST %s/admin/replay did not answer within %d min. The query side resets "
                    + "the read model (clears its collections) inside that request: look at the query side's and the "
                    + "MongoDB stand-in's logs.").formatted(queryUrl, REPLAY_START_TIMEOUT.toMinutes()), e);
        } catch (IOException e) {
            throw unreachable("the query side", queryUrl, e);
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new BenchmarkException("POST %s/admin/replay answered %d: the admin password is wrong or missing. "
                    .formatted(queryUrl, response.statusCode())
                    + "Pass --admin-password (for ./start: the content of data/admin-password).");
        }
        if (response.statusCode() != 202) {
            throw new BenchmarkException("POST %s/admin/replay answered %d %s; expected 202.".formatted(queryUrl,
                    response.statusCode(), abbreviate(response.body())));
        }
    }

    /** {@code GET /admin/replay}. */
    public ReplayState replayState() throws IOException {
        HttpResponse<String> response = send(admin(get(queryUrl, "/admin/replay")));
        requireOk(response, 200);
        JsonNode state = JSON.readTree(response.body());
        return new ReplayState(state.path("state").asText(), instant(state.path("startedAt")),
                instant(state.path("completedAt")), state.path("recordsToReplay").asLong(),
                state.path("recordsReplayed").asLong());
    }

    /** Whether the service at this base URL answers HTTP at all (any status). */
    public boolean answers(URI base) {
        try {
            send(get(base, "/actuator/health"));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private HttpRequest.Builder admin(HttpRequest.Builder request) {
        return adminAuthorization == null ? request : request.header("Authorization", adminAuthorization);
    }

    private static HttpRequest.Builder post(URI base, String path, String json) {
        return HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private static HttpRequest.Builder get(URI base, String path) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Accept", "application/json").GET();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        return send(request, TIMEOUT);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, Duration timeout) throws IOException {
        try {
            return http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void requireOk(HttpResponse<String> response, int expected) throws IOException {
        if (response.statusCode() != expected) {
            throw new IOException("%s %s answered %d %s; expected %d".formatted(response.request().method(),
                    response.uri(), response.statusCode(), abbreviate(response.body()), expected));
        }
    }

    private static Instant instant(JsonNode node) {
        if (node.isNumber()) {
            // Jackson's numeric form: epoch seconds with a fraction.
            long nanos = node.decimalValue().movePointRight(9).longValue();
            return Instant.ofEpochSecond(0, nanos);
        }
        return node.isNull() || node.isMissingNode() || node.asText().isBlank() ? null : Instant.parse(node.asText());
    }

    private static BenchmarkException unreachable(String what, URI url, IOException e) {
        if (e instanceof HttpTimeoutException) {
            return new BenchmarkException("%s at %s did not answer within %d s (it is listening, but stuck or very busy): "
                    .formatted(what, url, TIMEOUT.toSeconds()) + "look at its log.", e);
        }
        String reason = e instanceof ConnectException ? "nothing listens there" : e.toString();
        return new BenchmarkException("Cannot reach %s at %s (%s). Is the stack running? Start it with ./start, or "
                .formatted(what, url, reason) + "let ./bench start its own (leave out --command-url/--query-url).", e);
    }

    static String abbreviate(String body) {
        String flat = body == null ? "" : body.replaceAll("\\s+", " ").strip();
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "…";
    }
}
