package io.github.orderstock.benchmark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.orderstock.benchmark.PhaseContext;
import io.github.orderstock.benchmark.report.Figures;
import io.github.orderstock.benchmark.report.Machine;
import io.github.orderstock.benchmark.report.Report;
import io.github.orderstock.benchmark.stack.CpuMeter;
import io.github.orderstock.testsupport.ShopClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The old-ids phase against a stand-in shop (the JDK's HTTP server) that remembers every order id, so that it needs no
 * stack: the figures add up, and a freeze of the shop while it answers the first repeat shows as the longest window
 * without any answer.
 */
class OldOrderIdsBenchmarkTest {

    private static final Pattern ORDER = Pattern.compile("\"orderId\":\"([^\"]+)\",\"productId\":\"([^\"]+)\"");
    private static final Pattern PRODUCT = Pattern.compile("\"productId\":\"([^\"]+)\".*\"quantity\":([0-9]+)");
    private static final long FREEZE_MILLIS = 400;

    private final Map<String, AtomicInteger> stock = new ConcurrentHashMap<>();
    private final Set<String> placed = ConcurrentHashMap.newKeySet();
    private final AtomicLong repeatsSeen = new AtomicLong();
    private final AtomicBoolean freezeOnFirstRepeat = new AtomicBoolean();
    private volatile long frozenUntil;
    private HttpServer server;
    private ExecutorService threads;

    @BeforeEach
    void startTheShop() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/products", this::products);
        server.createContext("/orders", this::orders);
        threads = Executors.newFixedThreadPool(24);
        server.setExecutor(threads);
        server.start();
    }

    @AfterEach
    void stopTheShop() {
        server.stop(0);
        threads.shutdownNow();
    }

    @Test
    void repeatsGetTheirAnswersWhileFreshOrdersAreCountedAndTheStockAddsUp() {
        Figures.OldOrderIds figures = benchmark().run(20);

        assertThat(figures.fillOrders()).isEqualTo(50 + 2 * 20);
        assertThat(figures.repeatStatuses()).isEqualTo(Map.of(201, 20L));
        assertThat(repeatsSeen.get()).isEqualTo(20);
        assertThat(figures.errors()).isZero();
        assertThat(figures.exact()).as(figures.detail()).isTrue();
        assertThat(figures.timeline().answers()).isEqualTo(20 + figures.freshTimeline().answers());
        assertThat(figures.freshTimeline().answers()).isGreaterThanOrEqualTo(figures.freshAccepted());
        assertThat(figures.freshOrdersPerSecond()).isEqualTo(figures.freshAccepted() / figures.seconds());
    }

    @Test
    void aFreezeOfTheShopDuringTheRepeatsIsTheLongestWindowWithoutAnyAnswer() {
        freezeOnFirstRepeat.set(true);

        Figures.OldOrderIds figures = benchmark().run(20);

        assertThat(figures.exact()).as(figures.detail()).isTrue();
        assertThat(figures.timeline().longestSilenceMs()).isGreaterThanOrEqualTo(FREEZE_MILLIS - 50);
        assertThat(figures.seconds() * 1000).isGreaterThanOrEqualTo(FREEZE_MILLIS);
    }

    private OldOrderIdsBenchmark benchmark() {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        var report = new Report("now", new Machine(2, "cpu", 1024, "java", "os", null));
        return new OldOrderIdsBenchmark(new PhaseContext(new ShopClient(base, base, "admin", null), "t1",
                new CpuMeter(List::of), report, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8)), 50);
    }

    private void products(HttpExchange exchange) throws IOException {
        if (exchange.getRequestMethod().equals("POST")) {
            Matcher product = PRODUCT.matcher(body(exchange));
            if (!product.find()) {
                answer(exchange, 400, "{}");
                return;
            }
            stock.put(product.group(1), new AtomicInteger(Integer.parseInt(product.group(2))));
            answer(exchange, 201, "{}");
            return;
        }
        String id = exchange.getRequestURI().getPath().substring("/products/".length());
        AtomicInteger quantity = stock.get(id);
        if (quantity == null) {
            answer(exchange, 404, "{}");
        } else {
            answer(exchange, 200, "{\"productId\":\"%s\",\"quantity\":%d}".formatted(id, quantity.get()));
        }
    }

    private void orders(HttpExchange exchange) throws IOException {
        String body = body(exchange);
        Matcher order = ORDER.matcher(body);
        if (!order.find()) {
            answer(exchange, 400, "{}");
            return;
        }
        waitOutAFreeze();
        if (placed.add(order.group(1))) {
            stock.get(order.group(2)).decrementAndGet();
        } else {
            repeatsSeen.incrementAndGet();
            if (freezeOnFirstRepeat.compareAndSet(true, false)) {
                // What a repeat reading a whole stream did: every request waits, none is answered.
                frozenUntil = System.currentTimeMillis() + FREEZE_MILLIS;
                waitOutAFreeze();
            }
        }
        answer(exchange, 201, body);
    }

    /** Holds the request while the shop is frozen: this stalls the shop on purpose, it waits for nothing. */
    private void waitOutAFreeze() {
        long left = frozenUntil - System.currentTimeMillis();
        while (left > 0) {
            try {
                Thread.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            left = frozenUntil - System.currentTimeMillis();
        }
    }

    private static String body(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
