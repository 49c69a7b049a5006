package io.github.orderstock.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.orderstock.systemtests.harness.Figures;
import io.github.orderstock.systemtests.harness.SystemStackExtension;
import io.github.orderstock.testsupport.ShopClient;
import io.github.orderstock.testsupport.TestStack;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Test 11 (issue 13, finding 6): requests Tomcat refuses itself (a 20 KB header, paths it cannot decode) are answered
 * with problem+json like every other error, by both services; failed admin logins from one address are throttled
 * (429 problem+json with Retry-After) while the admin's logins from elsewhere stay fast. Requests are written on raw
 * sockets: a well-behaved client cannot send them, and a socket can be bound to another loopback address.
 */
@Order(95)
@ExtendWith(SystemStackExtension.class)
class HostileRequestsIT {

    /** The throttled client; the harness's own admin requests come from 127.0.0.1. */
    static final String GUESSER = "127.0.0.2";
    /** app.admin.login-throttle.max-failures */
    static final int MAX_FAILURES = 10;

    private record Raw(int status, String contentType, String retryAfter, String body) {
        boolean isProblem() {
            return contentType.startsWith("application/problem+json") && body.contains("\"status\":" + status);
        }
    }

    @Test
    void requestsTomcatRefusesAreAnsweredWithProblemJson(TestStack stack) throws IOException {
        String bigHeader = "X-Padding: " + "a".repeat(20 * 1024) + "\r\n";
        Map<String, String> requests = Map.of(
                "20 KB header", "GET /products/1 HTTP/1.1\r\nHost: localhost\r\n" + bigHeader,
                "path /%", "GET /% HTTP/1.1\r\nHost: localhost\r\n",
                "path /..;/", "GET /..;/ HTTP/1.1\r\nHost: localhost\r\n",
                "path /%2e%2e/%00", "GET /%2e%2e/%00 HTTP/1.1\r\nHost: localhost\r\n",
                // Tomcat lets these through and Spring Security's firewall refuses them: Spring's /error answers.
                "path //products", "GET //products HTTP/1.1\r\nHost: localhost\r\n",
                "path /products/1;x", "GET /products/1;x HTTP/1.1\r\nHost: localhost\r\n");
        var figures = new Figures("11a. requests refused before they reach Spring");
        List<Runnable> checks = new ArrayList<>();
        for (String base : List.of(stack.commandUrl(), stack.queryUrl())) {
            int port = URI.create(base).getPort();
            for (var request : new TreeMap<>(requests).entrySet()) {
                Raw answer = send("127.0.0.1", port, request.getValue() + "Connection: close\r\n\r\n");
                figures.line("%-6s %-18s -> %d %s %s", port == URI.create(stack.commandUrl()).getPort() ? "3000"
                                : "3001", request.getKey(), answer.status(), answer.contentType(),
                        abbreviate(answer.body()));
                checks.add(() -> {
                    assertThat(answer.status()).as("%s on %s", request.getKey(), base).isBetween(400, 499);
                    assertThat(answer.isProblem()).as("%s on %s is problem+json: %s", request.getKey(), base, answer)
                            .isTrue();
                });
            }
        }
        figures.print();
        checks.forEach(Runnable::run);
    }

    @Test
    void failedAdminLoginsAreThrottledPerAddress(TestStack stack) throws IOException {
        var figures = new Figures("11b. failed admin logins from one address");
        for (String base : List.of(stack.commandUrl(), stack.queryUrl())) {
            int port = URI.create(base).getPort();
            String wrong = "GET /actuator/metrics HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic "
                    + Base64.getEncoder().encodeToString("admin:wrong".getBytes(StandardCharsets.UTF_8))
                    + "\r\nConnection: close\r\n\r\n";
            Map<Integer, Integer> statuses = new TreeMap<>();
            long from = System.nanoTime();
            Raw last = null;
            for (int i = 0; i < MAX_FAILURES + 5; i++) {
                last = send(GUESSER, port, wrong);
                statuses.merge(last.status(), 1, Integer::sum);
                if (i < MAX_FAILURES) {
                    assertThat(last.status()).as("failed login %d of %s", i + 1, base).isEqualTo(401);
                }
            }
            double seconds = (System.nanoTime() - from) / 1e9;
            long adminFrom = System.nanoTime();
            ShopClient.Response admin = stack.http().admin("GET", base, "/actuator/metrics");
            long adminMillis = (System.nanoTime() - adminFrom) / 1_000_000;
            figures.line("%s: %d wrong passwords from %s in %.2f s -> %s; last %d Retry-After %s; the admin from "
                            + "127.0.0.1 meanwhile %d in %d ms", base, MAX_FAILURES + 5, GUESSER, seconds, statuses,
                    last.status(), last.retryAfter(), admin.status(), adminMillis);

            assertThat(last.status()).as("login after %d failures", MAX_FAILURES).isEqualTo(429);
            assertThat(last.isProblem()).as("429 is problem+json: %s", last).isTrue();
            assertThat(last.retryAfter()).as("429 has Retry-After").isNotEmpty();
            assertThat(statuses.get(429)).as("throttled attempts").isEqualTo(5);
            assertThat(admin.status()).as("the admin from another address").isEqualTo(200);
            assertThat(adminMillis).as("ms for the admin's login").isLessThan(2_000);
        }
        figures.print();
    }

    private static Raw send(String fromAddress, int port, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(fromAddress, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headersEnd = answer.indexOf("\r\n\r\n");
            String head = headersEnd < 0 ? answer : answer.substring(0, headersEnd);
            String body = headersEnd < 0 ? "" : answer.substring(headersEnd + 4);
            String[] lines = head.split("\r\n");
            int status = lines[0].startsWith("HTTP/") ? Integer.parseInt(lines[0].split(" ")[1]) : -1;
            String contentType = "";
            String retryAfter = "";
            for (String line : lines) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-type:")) {
                    contentType = line.substring(13).trim();
                } else if (lower.startsWith("retry-after:")) {
                    retryAfter = line.substring(12).trim();
                }
            }
            return new Raw(status, contentType, retryAfter, body);
        }
    }

    private static String abbreviate(String body) {
        String flat = body.replaceAll("\\s+", " ");
        return flat.length() <= 160 ? flat : flat.substring(0, 160) + "…";
    }
}
