package io.github.orderstock.testsupport;

import io.github.orderstock.devstack.StackException;
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
import java.util.Optional;
import java.util.OptionalInt;
import org.bson.Document;

/**
 * The services' HTTP API as the tests and the benchmark use it: HTTP/1.1 with keep-alive, safe to share between
 * threads. It never retries on its own: every retry is the caller's, and is recorded.
 */
public final class ShopClient {

    /** One answer, kept whole for figures and failure messages. */
    public record Response(String method, URI uri, int status, String contentType, String body,
                           Optional<String> location, Optional<String> retryAfter) {

        public boolean isProblem() {
            return contentType.startsWith("application/problem+json");
        }

        public Document json() {
            return Document.parse(body);
        }

        @Override
        public String toString() {
            return method + " " + uri + " -> " + status + " " + contentType + " " + abbreviate(body);
        }
    }

    /** Where a replay stands, as {@code GET /admin/replay} tells it. */
    public record ReplayState(String state, Instant startedAt, Instant completedAt, long recordsToReplay,
                              long recordsReplayed) {

        public boolean completed() {
            return "COMPLETED".equals(state);
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The query side clears the read model inside POST /admin/replay: on a large read model that takes a while. */
    static final Duration REPLAY_START_TIMEOUT = Duration.ofMinutes(10);

    /**
     * Connections {@link HttpURLConnection} keeps alive per server: its default, 5, would make most of 64 clients
     * open a new connection for every order. Read once, when the JDK's keep-alive cache is first used.
     */
    public static final int KEEP_ALIVE_CONNECTIONS = 128;

    private final String commandUrl;
    private final URL ordersUrl;
    private final String queryUrl;
    private final String adminAuthorization;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    /** @param adminPassword the services' admin password; null if unknown (admin requests then get 401) */
    public ShopClient(String commandUrl, String queryUrl, String adminUser, String adminPassword) {
        this.commandUrl = commandUrl.replaceAll("/+$", "");
        this.queryUrl = queryUrl.replaceAll("/+$", "");
        try {
            this.ordersUrl = URI.create(this.commandUrl + "/orders").toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a URL: " + commandUrl, e);
        }
        this.adminAuthorization = "Basic " + Base64.getEncoder().encodeToString(
                (adminUser + ":" + adminPassword).getBytes(StandardCharsets.UTF_8));
    }

    public String commandUrl() {
        return commandUrl;
    }

    public String queryUrl() {
        return queryUrl;
    }

    public Response get(String base, String path) throws IOException {
        return send(request(base, path).GET(), TIMEOUT);
    }

    public Response post(String base, String path, String json) throws IOException {
        return send(request(base, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), TIMEOUT);
    }

    /** An admin request (replay, metrics), with the stack's admin credentials as HTTP Basic. */
    public Response admin(String method, String base, String path) throws IOException {
        return admin(method, base, path, TIMEOUT);
    }

    private Response admin(String method, String base, String path, Duration timeout) throws IOException {
        HttpRequest.Builder builder = request(base, path).header("Authorization", adminAuthorization);
        builder = method.equals("POST") ? builder.POST(HttpRequest.BodyPublishers.noBody()) : builder.GET();
        return send(builder, timeout);
    }

    /** GET that must answer; an I/O failure becomes an assertion error. */
    public Response getOrFail(String base, String path) {
        try {
            return get(base, path);
        } catch (IOException e) {
            throw new AssertionError("GET " + base + path + " failed: " + e, e);
        }
    }

    /** POST that must answer; an I/O failure becomes an assertion error. */
    public Response postOrFail(String base, String path, String json) {
        try {
            return post(base, path, json);
        } catch (IOException e) {
            throw new AssertionError("POST " + base + path + " failed: " + e, e);
        }
    }

    /** {@code POST /products}; anything but 201 is an error naming the answer. */
    public void addProduct(String productId, String name, int quantity) {
        String body = "{\"productId\":\"%s\",\"name\":\"%s\",\"quantity\":%d}".formatted(productId, name, quantity);
        Response response;
        try {
            response = post(commandUrl, "/products", body);
        } catch (IOException e) {
            throw unreachable("the command side", commandUrl, e);
        }
        if (response.status() != 201) {
            throw new StackException("Adding product '%s': %s; expected 201. Is %s the command side of this version?"
                    .formatted(productId, response, commandUrl));
        }
    }

    /**
     * {@code POST /orders}: the status, or an IOException when no answer came. Sent with the JDK's blocking
     * {@link HttpURLConnection}, not {@link HttpClient}: the benchmark sends 100,000s of orders from 64 threads on the
     * machine under test, and {@code HttpClient}'s asynchronous machinery took 0.4 ms of CPU per order (the load
     * generator used 53-80% of one of the two cores), which the services then lacked. The response body is read to
     * its end, so the connection goes back to the keep-alive cache ({@link #KEEP_ALIVE_CONNECTIONS}).
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
        Response response = get(queryUrl, "/products/" + productId);
        if (response.status() == 404) {
            return OptionalInt.empty();
        }
        requireStatus(response, 200);
        return OptionalInt.of(((Number) response.json().get("quantity")).intValue());
    }

    /** {@code GET /products}: every product's stock, by id. */
    public Map<String, Integer> stocks() throws IOException {
        Response response = get(queryUrl, "/products");
        requireStatus(response, 200);
        Map<String, Integer> stocks = new LinkedHashMap<>();
        for (Document product : Document.parse("{\"products\":" + response.body() + "}")
                .getList("products", Document.class)) {
            stocks.put(product.getString("productId"), ((Number) product.get("quantity")).intValue());
        }
        return stocks;
    }

    /** {@code POST /admin/replay}; expects 202. */
    public void startReplay() {
        Response response;
        try {
            response = admin("POST", queryUrl, "/admin/replay", REPLAY_START_TIMEOUT);
        } catch (HttpTimeoutException e) {
            throw new StackException(("POST %s/admin/replay did not answer within %d min. The query side resets "
                    + "the read model (clears its collections) inside that request: look at the query side's and the "
                    + "MongoDB stand-in's logs.").formatted(queryUrl, REPLAY_START_TIMEOUT.toMinutes()), e);
        } catch (IOException e) {
            throw unreachable("the query side", queryUrl, e);
        }
        if (response.status() == 401 || response.status() == 403) {
            throw new StackException("POST %s/admin/replay answered %d: the admin password is wrong or missing. "
                    .formatted(queryUrl, response.status())
                    + "Pass --admin-password (for ./start: the content of data/admin-password).");
        }
        if (response.status() != 202) {
            throw new StackException(response + "; expected 202");
        }
    }

    /** {@code GET /admin/replay}. */
    public ReplayState replayState() throws IOException {
        Response response = admin("GET", queryUrl, "/admin/replay");
        requireStatus(response, 200);
        Document state = response.json();
        return new ReplayState(state.getString("state"), instant(state.get("startedAt")),
                instant(state.get("completedAt")), number(state.get("recordsToReplay")),
                number(state.get("recordsReplayed")));
    }

    /** Whether the service at this base URL answers HTTP at all (any status). */
    public boolean answers(String base) {
        try {
            get(base, "/actuator/health");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static HttpRequest.Builder request(String base, String path) {
        return HttpRequest.newBuilder(URI.create(base + path));
    }

    private Response send(HttpRequest.Builder builder, Duration timeout) throws IOException {
        HttpRequest request = builder.timeout(timeout).build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(request.method(), request.uri(), response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""), response.body(),
                    response.headers().firstValue("Location"), response.headers().firstValue("Retry-After"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void requireStatus(Response response, int expected) throws IOException {
        if (response.status() != expected) {
            throw new IOException(response + "; expected " + expected);
        }
    }

    private static Instant instant(Object value) {
        if (value instanceof Number seconds) {
            // Jackson's numeric form: epoch seconds with a fraction.
            return Instant.ofEpochSecond(0, Math.round(seconds.doubleValue() * 1e9));
        }
        return value == null || value.toString().isBlank() ? null : Instant.parse(value.toString());
    }

    private static long number(Object value) {
        return value instanceof Number number ? number.longValue() : 0;
    }

    private static StackException unreachable(String what, String url, IOException e) {
        if (e instanceof HttpTimeoutException) {
            return new StackException("%s at %s did not answer within %d s (it is listening, but stuck or very busy): "
                    .formatted(what, url, TIMEOUT.toSeconds()) + "look at its log.", e);
        }
        String reason = e instanceof ConnectException ? "nothing listens there" : e.toString();
        return new StackException("Cannot reach %s at %s (%s). Is the stack running? Start it with ./start, or "
                .formatted(what, url, reason) + "let ./bench start its own (leave out --command-url/--query-url).", e);
    }

    static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…(" + text.length() + " chars)";
    }
}
