package io.github.orderstock.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.orderstock.systemtests.browser.Browser;
import io.github.orderstock.systemtests.harness.Checks;
import io.github.orderstock.systemtests.harness.Figures;
import io.github.orderstock.testsupport.ShopClient;
import io.github.orderstock.testsupport.LoadClient;
import io.github.orderstock.testsupport.Oracle;
import io.github.orderstock.testsupport.Oracle.OrderRequest;
import io.github.orderstock.testsupport.Oracle.Outcome;
import io.github.orderstock.testsupport.TestStack;
import io.github.orderstock.systemtests.harness.SystemStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The live page in a real browser (headless Chromium): it shows every product's stock, an order placed through the
 * API appears on it within a second (pushed over its one event stream), and a replay started from the page by the
 * admin shows its progress, ends at 100% and leaves the same numbers. The scrape endpoints answer only the admin and
 * show the product-stock processor's lag and the publisher's backlog. Saves a screenshot to
 * {@code target/system-tests/live-page.png}, and to {@code docs/live-page.png} with {@code -Dlivepage.docs}.
 * Runs early, on a short topic, so that the replay takes seconds.
 */
@Order(5)
@ExtendWith(SystemStackExtension.class)
class LivePageIT {

    private static final Duration PUSHED_WITHIN = Duration.ofSeconds(1);
    private static final String QUANTITIES = "return Object.fromEntries([...document.querySelectorAll("
            + "'#products tbody tr')].map(row => [row.dataset.productId, Number(row.dataset.quantity)]));";

    @Test
    void showsOrdersAsTheyLandAndAReplayStartedFromThePage(TestStack stack) throws Exception {
        long testStarted = System.nanoTime();
        var figures = new Figures("5. The live page in headless Chromium: stock pushed as orders land, a replay "
                + "started from the page");
        var oracle = new Oracle();
        var client = new LoadClient(stack.http(), stack.commandUrl(), oracle);
        List<String> products = client.addProducts("t5", 3, 0, 0, 1_000);
        for (int i = 0; i < 60; i++) {
            client.placeOrder(new OrderRequest("t5-before-" + i, products.get(i % 3), 1 + i % 4));
        }
        Checks.awaitReadModel(stack, oracle, products, Duration.ofSeconds(60));

        // The scrape endpoints: the admin's only; the query side's shows the product-stock processor's lag.
        ShopClient.Response anonymous = stack.http().get(stack.queryUrl(), "/actuator/prometheus");
        ShopClient.Response queryMetrics = stack.http().admin("GET", stack.queryUrl(), "/actuator/prometheus");
        ShopClient.Response commandMetrics = stack.http().admin("GET", stack.commandUrl(), "/actuator/prometheus");
        List<String> lagLines = queryMetrics.body().lines()
                .filter(line -> line.startsWith("orderstock_projection_lag_")).toList();

        Path screenshot = SystemStackExtension.workDir().resolve("live-page.png");
        long browserStarting = System.nanoTime();
        try (Browser browser = Browser.start(SystemStackExtension.workDir().resolve("chromedriver.log"))) {
            double browserStart = seconds(browserStarting);
            long opening = System.nanoTime();
            browser.open(stack.queryUrl() + "/");

            // The page shows every product with the stock the API has.
            Map<String, Long> expected = expected(oracle, products);
            await("the page shows the products' stock").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> assertThat(shown(browser, products)).isEqualTo(expected));
            double firstShown = seconds(opening);
            await("the page shows the lag").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !text(browser, "#lag-records").equals("–")
                            && ((Number) browser.script("return document.querySelectorAll('#partitions tbody tr')"
                            + ".length;")).intValue() > 0);
            String lagShown = text(browser, "#lag-records");
            String deadLettersShown = text(browser, "#dead-letters-count");

            // An order placed through the API shows on the page within a second.
            String product = products.get(0);
            long sentAt = System.currentTimeMillis();
            Oracle.OrderRecord order = client.placeOrder(new OrderRequest("t5-live", product, 3));
            long answeredAt = System.currentTimeMillis();
            assertThat(order.outcome()).as(order.toString()).isEqualTo(Outcome.ACCEPTED);
            long stock = expected(oracle, products).get(product);
            await("the page shows the new stock").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> stock == shown(browser, products).getOrDefault(product, -1L));
            long updatedAt = ((Number) browser.script("return Number(document.querySelector("
                    + "'#products tr[data-product-id=\"' + arguments[0] + '\"]').dataset.updatedAt);", product))
                    .longValue();

            // The admin signs in on the page and starts a replay; it shows progress and ends at 100%.
            browser.type("#admin-password", stack.adminPassword());
            browser.click("#sign-in-button");
            await("the replay panel shows").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Boolean.TRUE.equals(browser.script(
                            "return !document.getElementById('replay').hidden;")));
            Map<String, Long> beforeReplay = shownAll(browser);
            String previousStart = attribute(browser, "#replay-progress", "startedAt");
            long replayClicked = System.nanoTime();
            browser.click("#replay-start");
            await("the replay ends at 100% on the page").atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> text(browser, "#replay-state").equals("COMPLETED")
                            && !attribute(browser, "#replay-progress", "startedAt").equals(previousStart)
                            && ((Number) browser.script("return document.getElementById('replay-progress').value;"))
                            .intValue() == 100);
            double replaySeconds = seconds(replayClicked);
            List<Integer> seen = Arrays.stream(attribute(browser, "#replay-progress", "seen").split(","))
                    .map(Integer::valueOf).toList();
            String replayText = text(browser, "#replay-text");
            String replayStart = attribute(browser, "#replay-progress", "startedAt");
            ShopClient.Response status = stack.http().admin("GET", stack.queryUrl(), "/admin/replay");
            Document replay = status.json();
            // The rebuilt read model is live at COMPLETED; the page's numbers stay as they were.
            await("the page's stock after the replay").atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(shownAll(browser)).isEqualTo(beforeReplay));
            Map<String, Long> afterReplay = shownAll(browser);
            // And the projection is caught up again: the rebuilt read model is the live one.
            await("the page shows no lag after the replay").atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(100)).until(() -> text(browser, "#lag-records").equals("0"));

            byte[] png = browser.screenshot();
            Files.write(screenshot, png);
            if (System.getProperty("livepage.docs") != null) {
                Path docs = Path.of(System.getProperty("systemtests.home", "."), "docs", "live-page.png");
                Files.write(docs, png);
            }

            figures.orders(oracle)
                    .line("scrape endpoints   without credentials %d; query side %d with %d lag series, e.g. %s; "
                            + "command side %d", anonymous.status(), queryMetrics.status(), lagLines.size(),
                            lagLines.isEmpty() ? "none" : lagLines.get(0), commandMetrics.status())
                    .line("browser            chromedriver + headless Chromium started in %.1f s", browserStart)
                    .line("page               showed the stock of %d products %.2f s after it was opened; lag %s "
                            + "records, %s dead letters", products.size(), firstShown, lagShown, deadLettersShown)
                    .line("pushed             order t5-live on the page %d ms after its 201 (%d ms after it was "
                            + "sent; bound %d ms)", updatedAt - answeredAt, updatedAt - sentAt,
                            PUSHED_WITHIN.toMillis())
                    .line("replay             started from the page, 100%% after %.1f s; progress seen %s; page: "
                            + "\"%s\"; API: %s of %s records", replaySeconds, seen, replayText,
                            replay.get("recordsReplayed"), replay.get("recordsToReplay"))
                    .line("stock              %d products on the page, equal before and after the replay: %s",
                            afterReplay.size(), afterReplay.equals(beforeReplay))
                    .line("screenshot         %s (%,d bytes)", screenshot, png.length)
                    .line("test               %.1f s in all", seconds(testStarted))
                    .print();

            assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(401);
            assertThat(queryMetrics.status()).as(queryMetrics.toString()).isEqualTo(200);
            assertThat(lagLines).as("lag lines of the query side's scrape")
                    .anyMatch(line -> line.startsWith("orderstock_projection_lag_records{")
                            && line.contains("processor=\"product-stock\""))
                    .anyMatch(line -> line.startsWith("orderstock_projection_lag_seconds{")
                            && line.contains("processor=\"product-stock\""));
            assertThat(queryMetrics.body()).contains("eventProcessor_latency{processorName=\"product-stock\"}",
                    "kafka_consumer_fetch_manager_records_consumed_total");
            assertThat(commandMetrics.status()).as(commandMetrics.toString()).isEqualTo(200);
            assertThat(commandMetrics.body()).contains("orderstock_publisher_unpublished_events ",
                    "commandBus_", "kafka_producer_record_send_total");
            assertThat(updatedAt - answeredAt).as("ms from the order's 201 to the page showing it")
                    .isLessThanOrEqualTo(PUSHED_WITHIN.toMillis());
            assertThat(seen).as("progress values the page showed").hasSizeGreaterThanOrEqualTo(2)
                    .endsWith(100).anySatisfy(value -> assertThat(value).isLessThan(100));
            assertThat(status.status()).as(status.toString()).isEqualTo(200);
            assertThat(replay.getString("state")).isEqualTo("COMPLETED");
            assertThat(replayStart).as("the replay the page shows is the one it started")
                    .isNotEqualTo(previousStart).isNotBlank();
            long toReplay = ((Number) replay.get("recordsToReplay")).longValue();
            assertThat(((Number) replay.get("recordsReplayed")).longValue()).isEqualTo(toReplay);
            assertThat(toReplay).as("records replayed: at least the events of this test").isGreaterThan(60);
            assertThat(replayText).startsWith("%,d of %,d records (100%%)".formatted(toReplay, toReplay));
            assertThat(afterReplay).containsAllEntriesOf(expected(oracle, products));
            Checks.assertQueryApiShows(stack, oracle.expectedStock());
        }
        assertThat(Files.size(screenshot)).as("screenshot bytes").isGreaterThan(10_000);
    }

    private static Map<String, Long> expected(Oracle oracle, List<String> products) {
        Map<String, Long> expected = new TreeMap<>();
        oracle.expectedStock(products).forEach((product, stock) -> expected.put(product, (long) stock));
        return expected;
    }

    /** The stock the page shows for these products (those it shows). */
    private static Map<String, Long> shown(Browser browser, List<String> products) throws Exception {
        Map<String, Long> shown = new TreeMap<>();
        shownAll(browser).forEach((product, stock) -> {
            if (products.contains(product)) {
                shown.put(product, stock);
            }
        });
        return shown;
    }

    private static Map<String, Long> shownAll(Browser browser) throws Exception {
        Map<String, Long> shown = new TreeMap<>();
        ((Document) browser.script(QUANTITIES)).forEach((product, stock) ->
                shown.put(product, ((Number) stock).longValue()));
        return shown;
    }

    private static String text(Browser browser, String css) throws Exception {
        return String.valueOf(browser.script("return document.querySelector(arguments[0]).textContent;", css));
    }

    private static String attribute(Browser browser, String css, String name) throws Exception {
        Object value = browser.script("return document.querySelector(arguments[0]).dataset[arguments[1]] || '';",
                css, name);
        return String.valueOf(value);
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }
}
