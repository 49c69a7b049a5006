package io.github.orderstock.benchmark.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WrkScriptTest {

    private static final Pattern BODY = Pattern.compile(
            "\\{\"orderId\":\"([A-Za-z0-9_-]+)\",\"productId\":\"([A-Za-z0-9_-]+)\",\"quantity\":1}");

    @Test
    void namesEveryProductAndTakesTheRunPrefixFromTheArguments() {
        String script = WrkScript.forOrders(List.of("p-1", "p-2"));

        assertThat(script).contains("local products = { \"p-1\", \"p-2\" }")
                .contains("function setup(thread)")
                .contains("prefix = args[1]")
                .contains("wrk.format(nil, \"/orders\", nil, body)")
                .doesNotContain("%%");
    }

    @Test
    void refusesIdsTheApiWouldRefuse() {
        assertThatThrownBy(() -> WrkScript.forOrders(List.of("p\"1"))).hasMessageContaining("not a valid id");
        assertThatThrownBy(() -> WrkScript.forOrders(List.of())).hasMessageContaining("at least one");
        assertThatThrownBy(() -> WrkScript.requirePrefix("x".repeat(49))).hasMessageContaining("too long");
        assertThat(WrkScript.requirePrefix("x".repeat(48))).hasSize(48);
    }

    /** Runs the script in wrk for a second against a local server: every order id differs, every body is valid. */
    @Test
    void wrkSendsUniqueOrderIdsFromEveryThread(@TempDir Path dir) throws Exception {
        requireWrk();
        List<String> bodies = Collections.synchronizedList(new ArrayList<>());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/orders", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                    + " " + exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type"));
            byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        try {
            Path script = dir.resolve("orders.lua");
            Files.writeString(script, WrkScript.forOrders(List.of("a", "b", "c")));
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/orders";
            Process wrk = new ProcessBuilder("/usr/bin/wrk", "-t", "2", "-c", "4", "-d", "1s", "--latency", "-s",
                    script.toString(), url, "--", "run7").redirectErrorStream(true).start();
            String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(wrk.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(WrkResult.parse(output).non2xx()).isZero();
        } finally {
            server.stop(0);
        }

        assertThat(bodies).hasSizeGreaterThan(10);
        Set<String> orderIds = new HashSet<>();
        Set<String> threads = new HashSet<>();
        Set<String> products = new HashSet<>();
        for (String body : bodies) {
            assertThat(body).endsWith(" POST application/json");
            Matcher matcher = BODY.matcher(body);
            assertThat(matcher.find()).as(body).isTrue();
            assertThat(orderIds.add(matcher.group(1))).as("order id %s repeated", matcher.group(1)).isTrue();
            assertThat(matcher.group(1)).matches("run7-[12]-[0-9]+");
            threads.add(matcher.group(1).split("-")[1]);
            products.add(matcher.group(2));
        }
        assertThat(threads).containsExactlyInAnyOrder("1", "2");
        assertThat(products).containsExactlyInAnyOrder("a", "b", "c");
    }

    /**
     * Runs the script in wrk for two seconds against a server that answers each order with its body, as the command
     * side does: the file it writes holds every answer wrk counted, each with its latency.
     */
    @Test
    void wrkWritesEveryAnswerWithItsLatencyIntoTheGivenFile(@TempDir Path dir) throws Exception {
        requireWrk();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/orders", exchange -> {
            byte[] answer = exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(201, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        Path answers = dir.resolve("answers.txt");
        WrkResult result;
        try {
            Path script = dir.resolve("orders.lua");
            Files.writeString(script, WrkScript.forOrders(List.of("a", "b")));
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/orders";
            Process wrk = new ProcessBuilder("/usr/bin/wrk", "-t", "2", "-c", "4", "-d", "2s", "--latency", "-s",
                    script.toString(), url, "--", "run8", answers.toString()).redirectErrorStream(true).start();
            String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(wrk.waitFor(30, TimeUnit.SECONDS)).isTrue();
            result = WrkResult.parse(output);
        } finally {
            server.stop(0);
        }

        // On a busy machine a second may pass without any answer, so only the totals are exact; the script's clock
        // reads just before wrk's at the request and just after it at the answer, a little wider under load.
        var timeline = WrkAnswers.timeline(Files.readString(answers));
        assertThat(timeline.answers()).isEqualTo(result.requests()).isGreaterThan(10);
        assertThat(timeline.answersPerSecond()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(timeline.maxMs()).filteredOn(java.util.Objects::nonNull).isNotEmpty()
                .allSatisfy(max -> assertThat(max).isPositive().isLessThanOrEqualTo(result.maxMs() + 100));
        assertThat(timeline.longestSilenceMs()).isPositive().isLessThan(result.seconds() * 1000);
    }

    /** CI installs wrk (.ci/run), so there a missing wrk is a failure, not a skip; elsewhere ./bench installs it. */
    private static void requireWrk() {
        boolean installed = Files.isExecutable(Path.of("/usr/bin/wrk"));
        if ("true".equals(System.getenv("CI"))) {
            assertThat(installed).as("wrk is installed (.ci/run installs the Debian package 'wrk')").isTrue();
        }
        assumeTrue(installed, "wrk is not installed (apt-get install -y wrk)");
    }
}
