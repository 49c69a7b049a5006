package io.github.orderstock.systemtests.browser;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium, driven through chromedriver over the W3C WebDriver protocol (plain HTTP and JSON; a handful of
 * commands, so no client library). The Debian packages {@code chromium} and {@code chromium-driver} provide both;
 * {@code .ci/run} installs them. Without them a test is skipped, except under {@code CI=true}, where it fails.
 * Closing quits the browser and ends chromedriver and anything it started.
 */
public final class Browser implements AutoCloseable {

    /** The flags the issue asks for: no sandbox (root in CI), no GPU, nothing that reaches the network by itself. */
    static final List<String> CHROMIUM_FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1280,900");
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private static final List<Path> CHROMIUM = List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser"));
    private static final List<Path> CHROMEDRIVER = List.of(Path.of("/usr/bin/chromedriver"));

    private final Process driver;
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private String session;

    private Browser(Process driver, String base) {
        this.driver = driver;
        this.base = base;
    }

    /** Starts chromedriver and a headless Chromium; skips the test if they are missing, fails under CI. */
    public static Browser start(Path logFile) throws IOException {
        Optional<Path> chromium = CHROMIUM.stream().filter(Files::isExecutable).findFirst();
        Optional<Path> chromedriver = CHROMEDRIVER.stream().filter(Files::isExecutable).findFirst();
        String missing = chromium.isEmpty() ? "chromium" : chromedriver.isEmpty() ? "chromedriver" : null;
        if (missing != null) {
            String message = missing + " is not installed (Debian packages chromium and chromium-driver; "
                    + ".ci/run installs them)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(message + ": under CI=true the browser test must run");
            }
            Assumptions.abort(message);
        }
        int port = freePort();
        Files.createDirectories(logFile.getParent());
        Process driver = new ProcessBuilder(chromedriver.get().toString(), "--port=" + port)
                .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        Browser browser = new Browser(driver, "http://127.0.0.1:" + port);
        try {
            await("chromedriver ready").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions().until(() -> browser.call("GET", "/status", null)
                            .get("value", Document.class).getBoolean("ready"));
            Document capabilities = new Document("capabilities", new Document("alwaysMatch", new Document()
                    .append("browserName", "chrome")
                    .append("goog:chromeOptions", new Document("binary", chromium.get().toString())
                            .append("args", CHROMIUM_FLAGS))));
            browser.session = browser.call("POST", "/session", capabilities).get("value", Document.class)
                    .getString("sessionId");
            return browser;
        } catch (RuntimeException | IOException | AssertionError e) {
            browser.close();
            throw e;
        }
    }

    public void open(String url) throws IOException {
        command("POST", "/url", new Document("url", url));
    }

    /** Runs {@code script} (a function body; {@code arguments} are {@code args}) in the page; answers its result. */
    public Object script(String script, Object... args) throws IOException {
        return command("POST", "/execute/sync", new Document("script", script).append("args", List.of(args)))
                .get("value");
    }

    /** Types into the element {@code css} selects, as a user would. */
    public void type(String css, String text) throws IOException {
        String element = element(css);
        command("POST", "/element/" + element + "/clear", new Document());
        command("POST", "/element/" + element + "/value", new Document("text", text));
    }

    /** Clicks the element {@code css} selects, as a user would. */
    public void click(String css) throws IOException {
        command("POST", "/element/" + element(css) + "/click", new Document());
    }

    /** A PNG of the viewport. */
    public byte[] screenshot() throws IOException {
        return Base64.getDecoder().decode(command("GET", "/screenshot", null).getString("value"));
    }

    private String element(String css) throws IOException {
        return command("POST", "/element", new Document("using", "css selector").append("value", css))
                .get("value", Document.class).getString(ELEMENT);
    }

    private Document command(String method, String path, Document body) throws IOException {
        return call(method, "/session/" + session + path, body);
    }

    private Document call(String method, String path, Document body) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toJson()))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            Document answer = Document.parse("{\"answer\":" + response.body() + "}").get("answer", Document.class);
            if (response.statusCode() != 200) {
                Object value = answer.get("value");
                throw new IOException("WebDriver " + method + " " + path + " -> " + response.statusCode() + ": "
                        + (value instanceof Document error ? error.getString("error") + ": "
                        + error.getString("message") : value));
            }
            return answer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        try {
            if (session != null) {
                call("DELETE", "/session/" + session, null);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("Could not end the browser session: " + e);
        } finally {
            // chromedriver and whatever it started (Chromium and its helpers), whether or not the session ended.
            driver.descendants().forEach(ProcessHandle::destroyForcibly);
            driver.destroyForcibly();
            try {
                driver.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
