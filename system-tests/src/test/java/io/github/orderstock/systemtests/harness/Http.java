package io.github.orderstock.systemtests.harness;

import io.github.orderstock.devstack.Stack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.bson.Document;

/** A plain HTTP/1.1 JSON client. It never retries on its own: every retry is the caller's, and is recorded. */
public final class Http {

    /** One answer, kept whole for figures and failure messages. */
    public record Response(String method, URI uri, int status, String contentType, String body,
                           Optional<String> location, Optional<String> retryAfter) {

        public boolean is2xx() {
            return status >= 200 && status < 300;
        }

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

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    private final String adminAuthorization;

    /** @param adminPassword the password the stack gave its services for {@link Stack#ADMIN_USER} */
    Http(String adminPassword) {
        this.adminAuthorization = "Basic " + Base64.getEncoder().encodeToString(
                (Stack.ADMIN_USER + ":" + adminPassword).getBytes(StandardCharsets.UTF_8));
    }

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    public Response get(String base, String path) throws IOException {
        return send(request(base, path).GET());
    }

    public Response post(String base, String path, String json) throws IOException {
        return send(request(base, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** An admin request (replay, metrics), with the stack's admin credentials as HTTP Basic. */
    public Response admin(String method, String base, String path) throws IOException {
        HttpRequest.Builder builder = request(base, path).header("Authorization", adminAuthorization);
        builder = method.equals("POST") ? builder.POST(HttpRequest.BodyPublishers.noBody()) : builder.GET();
        return send(builder);
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

    private static HttpRequest.Builder request(String base, String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT);
    }

    private Response send(HttpRequest.Builder builder) throws IOException {
        HttpRequest request = builder.build();
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

    static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…(" + text.length() + " chars)";
    }
}
