package io.github.orderstock.benchmark.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.github.orderstock.benchmark.BenchmarkException;
import io.github.orderstock.benchmark.PhaseContext;
import io.github.orderstock.benchmark.report.Figures;
import io.github.orderstock.benchmark.stack.CpuMeter;
import io.github.orderstock.benchmark.stack.ReadModel;

/**
 * POST /orders throughput and latency with wrk, at 1, 16 and 64 concurrent clients, after a warm-up. Every order id
 * is unique; the orders go round-robin over 100 products created for the run with a large stock, so no order is
 * refused for stock and no single product's stream is the bottleneck.
 */
public final class HttpBenchmark {

    public static final List<Integer> CONNECTIONS = List.of(1, 16, 64);
    static final int PRODUCTS = 100;
    static final int STOCK = 1_000_000;
    private static final int WARM_UP_CONNECTIONS = 16;

    private final PhaseContext run;
    private final Path workDir;

    /** @param workDir where the Lua script is written */
    public HttpBenchmark(PhaseContext run, Path workDir) {
        WrkScript.requirePrefix(run.runPrefix());
        this.run = run;
        this.workDir = workDir;
    }

    public void run(Duration duration, Duration warmUp) {
        String wrk = requireWrk();
        List<String> products = IntStream.range(0, PRODUCTS).mapToObj(i -> run.runPrefix() + "-h" + i).toList();
        run.out().printf("[http] adding %d products with stock %,d each...%n", PRODUCTS, STOCK);
        var readModel = new ReadModel(run.client());
        readModel.addProducts(products, STOCK, "the HTTP phase's new products");

        Path script = workDir.resolve("post-orders-" + run.runPrefix() + ".lua");
        try {
            Files.createDirectories(workDir);
            Files.writeString(script, WrkScript.forOrders(products));
        } catch (IOException e) {
            throw new BenchmarkException("Cannot write the wrk script " + script + ": " + e.getMessage(), e);
        }
        String url = run.client().commandUrl() + "/orders";
        run.report().setting("httpWarmUpConnections", WARM_UP_CONNECTIONS);
        run.report().setting("httpProducts", PRODUCTS);

        long accepted = 0;
        run.out().printf("[http] warm-up: %d s with %d clients (not measured)...%n", warmUp.toSeconds(),
                WARM_UP_CONNECTIONS);
        WrkResult warm = runWrk(wrk, script, url, WARM_UP_CONNECTIONS, warmUp, run.runPrefix() + "-w", null);
        accepted += warm.accepted();
        run.out().printf("[http] warm-up done: %,.0f req/s%n", warm.requestsPerSecond());

        for (int connections : CONNECTIONS) {
            int threads = Math.min(2, connections);
            run.out().printf("[http] %d client(s), %d thread(s), %d s...%n", connections, threads,
                    duration.toSeconds());
            Path answers = workDir.resolve("answers-%s-c%d.txt".formatted(run.runPrefix(), connections));
            CpuMeter.Mark mark = run.cpu().mark();
            WrkResult result = runWrk(wrk, script, url, connections, duration, run.runPrefix() + "-c" + connections,
                    answers);
            run.report().cpu(run.cpu().since(mark, "http, %d client%s".formatted(connections,
                    connections == 1 ? "" : "s")));
            accepted += result.accepted();
            var figures = new Figures.Http(connections, threads, result.seconds(), result.requests(),
                    result.requestsPerSecond(), result.p50Ms(), result.p99Ms(), result.maxMs(), result.non2xx(),
                    result.connectErrors(), result.readErrors(), result.writeErrors(), result.timeouts(),
                    timeline(answers));
            run.report().http(figures);
            run.out().printf("[http] %d client(s): %,.0f req/s, p50 %.2f ms, p99 %.2f ms, max %.1f ms, %,d non-2xx, "
                    + "%,d socket errors, longest without any answer %,.0f ms%n", connections,
                    result.requestsPerSecond(), result.p50Ms(), result.p99Ms(), result.maxMs(), result.non2xx(),
                    figures.errors() - result.non2xx(), figures.timeline().longestSilenceMs());
        }

        // Orders in flight when a run ended, and those whose answer timed run.out(), may have been placed too: the read
        // model must show at least every counted 2xx, then stay still.
        run.out().printf("[http] waiting until the read model has applied the %,d accepted orders...%n", accepted);
        long since = System.nanoTime();
        readModel.awaitTotalDecrease(products, STOCK, accepted,
                Duration.ofSeconds(120 + accepted / 100), "the HTTP phase's accepted orders");
        double catchUp = (System.nanoTime() - since) / 1e9;
        run.report().httpReadModelCatchUp(catchUp);
        run.out().printf("[http] read model caught up %.1f s after the last run%n", catchUp);
    }

    /** @param answers where the script writes every answer down; null: nowhere (the warm-up) */
    private WrkResult runWrk(String wrk, Path script, String url, int connections, Duration duration,
                             String orderIdPrefix, Path answers) {
        int threads = Math.min(2, connections);
        List<String> command = new ArrayList<>(List.of(wrk, "-t", String.valueOf(threads), "-c",
                String.valueOf(connections), "-d", duration.toSeconds() + "s", "--timeout", "10s", "--latency", "-s",
                script.toString(), url, "--", orderIdPrefix));
        if (answers != null) {
            command.add(answers.toString());
        }
        String output;
        int exit;
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] bytes = process.getInputStream().readAllBytes();
            if (!process.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new BenchmarkException("wrk did not finish within " + (duration.toSeconds() + 60) + " s: "
                        + String.join(" ", command));
            }
            output = new String(bytes, StandardCharsets.UTF_8);
            exit = process.exitValue();
        } catch (IOException e) {
            throw new BenchmarkException("Cannot run wrk (" + String.join(" ", command) + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkException("Interrupted while wrk ran", e);
        }
        if (exit != 0) {
            throw new BenchmarkException("wrk exited with code %d: %s%n%s".formatted(exit, String.join(" ", command),
                    output.strip()));
        }
        try {
            return WrkResult.parse(output);
        } catch (IllegalArgumentException e) {
            throw new BenchmarkException("Cannot read wrk's output (" + String.join(" ", command) + "): "
                    + e.getMessage(), e);
        }
    }

    /** The run's answers second by second, from the file its script wrote; the file is kept only if unreadable. */
    private static Figures.Timeline timeline(Path answers) {
        try {
            Figures.Timeline timeline = WrkAnswers.timeline(Files.readString(answers));
            Files.delete(answers);
            return timeline;
        } catch (IOException | IllegalArgumentException e) {
            throw new BenchmarkException("Cannot read the answers wrk's script wrote to " + answers + ": "
                    + e.getMessage(), e);
        }
    }

    private static String requireWrk() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path wrk = Path.of(dir.isEmpty() ? "." : dir, "wrk");
            if (Files.isExecutable(wrk)) {
                return wrk.toString();
            }
        }
        throw new BenchmarkException("wrk is not installed (not on the PATH). Install it: apt-get install -y wrk "
                + "(./bench does that when it is missing), or leave the HTTP phase out: "
                + "--only e2e,old-ids,replay,memory,start");
    }
}
