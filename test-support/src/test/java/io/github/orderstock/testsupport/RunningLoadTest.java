package io.github.orderstock.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.orderstock.testsupport.Oracle.OrderRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The load against a stand-in shop (the JDK's HTTP server) that accepts everything: how many orders a stopped load
 * sends, with and without an oracle.
 */
class RunningLoadTest {

    private static final Pattern ORDER_ID = Pattern.compile("\"orderId\":\"([^\"]+)\"");

    private final Set<String> orderIds = ConcurrentHashMap.newKeySet();
    private final AtomicInteger restocks = new AtomicInteger();
    private HttpServer server;
    private ExecutorService threads;
    private String base;

    @BeforeEach
    void startTheShop() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/orders", this::order);
        server.createContext("/products", exchange -> {
            restocks.incrementAndGet();
            answer(exchange, 200);
        });
        threads = Executors.newFixedThreadPool(8);
        server.setExecutor(threads);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopTheShop() {
        server.stop(0);
        threads.shutdownNow();
    }

    @Test
    void aLoadStoppedAtOnceSendsExactlyItsMinimumNumberedFromZero() {
        AtomicInteger answers = new AtomicInteger();
        var client = new LoadClient(new ShopClient(base, base, "admin", null), new LoadClient.Listener() {
            @Override
            public void answered(OrderRequest order, int status, long sentNanos, long answeredNanos) {
                answers.incrementAndGet();
            }

            @Override
            public void failed(OrderRequest order, IOException failure) {
                throw new AssertionError(failure);
            }
        });

        RunningLoad load = client.start(new RunningLoad.Plan("t", List.of("p"), 8, Integer.MAX_VALUE, 200, 1, 0));
        load.stopAndAwait(Duration.ofSeconds(30));

        assertThat(orderIds).isEqualTo(IntStream.range(0, 200).mapToObj(n -> "t-" + n).collect(Collectors.toSet()));
        assertThat(answers.get()).isEqualTo(200);
        assertThat(load.ordersFinished()).isEqualTo(200);
        assertThat(load.accepted()).isEqualTo(200);
    }

    @Test
    void restocksDoNotCountTowardsTheMinimumOfOrders() {
        var oracle = new Oracle();
        var client = new LoadClient(new ShopClient(base, base, "admin", null), base, oracle);

        RunningLoad load = client.start(new RunningLoad.Plan("t", List.of("p"), 4, Integer.MAX_VALUE, 100, 3, 5));
        load.stopAndAwait(Duration.ofSeconds(30));

        assertThat(oracle.orders()).hasSize(100);
        assertThat(orderIds).hasSize(100);
        assertThat(load.restocks()).isEqualTo(restocks.get()).isPositive();
    }

    private void order(HttpExchange exchange) throws IOException {
        Matcher orderId = ORDER_ID.matcher(new String(exchange.getRequestBody().readAllBytes(),
                StandardCharsets.UTF_8));
        if (orderId.find()) {
            orderIds.add(orderId.group(1));
        }
        answer(exchange, 201);
    }

    private static void answer(HttpExchange exchange, int status) throws IOException {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
