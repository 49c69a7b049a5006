package io.github.orderstock.benchmark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.orderstock.benchmark.e2e.EndToEndBenchmark;
import io.github.orderstock.benchmark.e2e.OldOrderIdsBenchmark;
import io.github.orderstock.benchmark.http.HttpBenchmark;
import io.github.orderstock.benchmark.replay.ReplayBenchmark;
import io.github.orderstock.benchmark.report.Figures;
import io.github.orderstock.benchmark.report.Machine;
import io.github.orderstock.benchmark.report.Report;
import io.github.orderstock.benchmark.report.TableRenderer;
import io.github.orderstock.benchmark.stack.CpuMeter;
import io.github.orderstock.benchmark.stack.MemorySampler;
import io.github.orderstock.benchmark.stack.StackUnderTest;
import io.github.orderstock.devstack.StackException;
import io.github.orderstock.testsupport.ShopClient;

/**
 * {@code java -jar benchmark/target/benchmark.jar [options]} ({@code ./bench}): starts the stack or targets a
 * running one, runs the phases in order (cold start, HTTP, end to end, replay) while sampling memory, then prints the
 * table and writes the same figures as JSON. A phase that fails is reported and the next one runs; the exit code is 1
 * if any failed. Ctrl-C stops the stack and still writes what was measured.
 */
public final class Benchmark {

    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final DateTimeFormatter SHOWN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final BenchOptions options;
    private final Path home;
    private final Path out;
    private final String runPrefix = runPrefix();
    private final PrintStream console = System.out;
    private final Report report;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile StackUnderTest stack;
    private volatile MemorySampler sampler;

    private Benchmark(BenchOptions options, Path home) {
        this.options = options;
        this.home = home;
        LocalDateTime now = LocalDateTime.now();
        this.out = options.out() != null ? options.out().toAbsolutePath()
                : home.resolve("benchmark/target/benchmark-" + FILE_TIME.format(now) + ".json");
        String backend = options.targetsRunningStack()
                ? (options.backendGiven() ? options.mongoBackend() + " (as given)" : null) : options.mongoBackend();
        this.report = new Report(SHOWN_TIME.format(now), Machine.current(backend));
    }

    public static void main(String[] args) {
        System.setProperty("http.maxConnections", String.valueOf(ShopClient.KEEP_ALIVE_CONNECTIONS));
        BenchOptions options;
        try {
            options = BenchOptions.parse(List.of(args), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + " See ./bench --help.");
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(BenchOptions.usage());
            return;
        }
        if (options.print() != null) {
            try {
                System.out.print(TableRenderer.render(Report.readJson(options.print())));
                return;
            } catch (IOException e) {
                System.err.println("Cannot read the figures in " + options.print() + ": " + e.getMessage());
                System.exit(2);
                return;
            }
        }
        Path home;
        try {
            home = BenchOptions.findHome();
        } catch (BenchmarkException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(new Benchmark(options, home).run());
    }

    private int run() {
        recordSettings();
        Runtime.getRuntime().addShutdownHook(new Thread(this::interrupted, "benchmark-shutdown"));
        try {
            stack = options.targetsRunningStack()
                    ? StackUnderTest.running(options.commandUrl(), options.queryUrl(), adminPassword(),
                    options.kafkaBootstrap())
                    : StackUnderTest.launch(home, options.mongoBackend());
            report.setting("stack", stack.description());
            if (options.runs(Phase.MEMORY)) {
                sampler = new MemorySampler(stack.processes()).start();
            }
            Optional<Figures.ColdStart> coldStart = stack.awaitColdStart(console);
            if (options.runs(Phase.START)) {
                coldStart.ifPresentOrElse(report::coldStart, () -> report.note(
                        "cold start is measured only when ./bench starts the stack itself."));
            }
            var context = new PhaseContext(stack.client(), runPrefix, new CpuMeter(stack.processes()), report, console);
            if (options.runs(Phase.HTTP)) {
                phase("http", () -> new HttpBenchmark(context, out.getParent()).run(options.duration(),
                        options.warmUp()));
            }
            if (options.runs(Phase.E2E)) {
                var endToEnd = new EndToEndBenchmark(context);
                for (int orders : options.endToEndOrders()) {
                    for (int products : BenchOptions.END_TO_END_PRODUCTS) {
                        phase("e2e %,d orders over %d product(s)".formatted(orders, products),
                                () -> report.endToEnd(endToEnd.run(orders, products)));
                    }
                }
            }
            if (options.runs(Phase.OLD_IDS)) {
                phase("old-ids", () -> report.oldOrderIds(new OldOrderIdsBenchmark(context)
                        .run(options.oldIdRepeats())));
            }
            if (options.runs(Phase.REPLAY)) {
                if (stack.kafkaBootstrap() == null) {
                    report.note("replay skipped: for a running stack, give its Kafka with --kafka HOST:PORT "
                            + "(./start: 127.0.0.1:9092).");
                } else {
                    phase("replay", () -> report.replay(new ReplayBenchmark(context, stack.kafkaBootstrap(),
                            options.kafkaTopic()).run(options.replayEvents())));
                }
            }
            recordMemory();
        } catch (StackException e) {
            report.failure("stack", e.getMessage());
        } catch (RuntimeException e) {
            e.printStackTrace();
            report.failure("stack", e.toString());
        } finally {
            MemorySampler current = sampler;
            if (current != null) {
                current.close();
            }
            StackUnderTest stackNow = stack;
            if (stackNow != null) {
                stackNow.close(options.keepData() || report.hasFailures());
            }
        }
        report.complete();
        finished.set(true);
        finish();
        return report.hasFailures() ? 1 : 0;
    }

    /** Runs one phase; a failure is reported and the run goes on with the next phase, if the stack still runs. */
    private void phase(String name, Runnable phase) {
        if (!stack.isAlive()) {
            report.failure(name, "not run: a part of the stack is gone. The parts' logs:" + System.lineSeparator()
                    + stack.logTails());
            return;
        }
        try {
            phase.run();
        } catch (StackException e) {
            console.println("[" + name + "] FAILED: " + e.getMessage());
            report.failure(name, e.getMessage());
        } catch (RuntimeException e) {
            console.println("[" + name + "] FAILED: " + e);
            e.printStackTrace();
            report.failure(name, e.toString());
        }
    }

    private void finish() {
        console.println();
        console.print(TableRenderer.render(report));
        try {
            report.writeJson(out);
            console.println("Figures written to " + display(out));
            Path plots = Report.plotsBeside(out);
            if (report.writePlots(plots)) {
                console.println("Plots drawn in " + display(plots));
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("Could not write the figures to " + out + ": " + e.getMessage()
                    + ". Give another file with --out FILE.");
        }
        stack().map(StackUnderTest::dataDir).filter(Files::exists).ifPresent(dir ->
                console.println("The stack's logs: " + dir.resolve("logs")));
    }

    /** The shutdown hook: on Ctrl-C (or a kill) stop the stack and still write what was measured. */
    private void interrupted() {
        if (finished.get()) {
            return;
        }
        System.out.println(System.lineSeparator() + "Interrupted: stopping the stack and writing the figures so far.");
        try {
            recordMemory();
        } catch (RuntimeException e) {
            // the figures so far matter more
        }
        StackUnderTest current = stack;
        if (current != null) {
            current.close(options.keepData());
        }
        try {
            report.note("the run was interrupted (Ctrl-C or a signal); the figures are partial.");
            finish();
        } catch (RuntimeException e) {
            System.err.println("Could not write the partial figures: " + e);
        }
    }

    /** Takes a last sample of every process and puts the memory figures into the report. */
    private void recordMemory() {
        MemorySampler current = sampler;
        if (current == null) {
            return;
        }
        current.sample();
        current.close();
        if (current.sawAny()) {
            report.memory(current.figures());
        } else {
            report.note("memory not measured: no process of the stack was found among this user's processes (a "
                    + "stack in Docker or on another machine cannot be seen from here).");
        }
    }

    private void recordSettings() {
        report.setting("stack", options.targetsRunningStack() ? "running at " + options.commandUrl() + " and "
                + options.queryUrl() : "to be started by the benchmark");
        report.setting("phases", options.phases().stream().map(Phase::optionName).toList());
        report.setting("quick", options.quick());
        if (options.runs(Phase.HTTP)) {
            report.setting("httpSecondsPerLevel", options.duration().toSeconds());
            report.setting("httpWarmUpSeconds", options.warmUp().toSeconds());
            report.setting("httpConnections", HttpBenchmark.CONNECTIONS);
        }
        if (options.runs(Phase.E2E)) {
            report.setting("endToEndOrders", options.endToEndOrders());
            report.setting("endToEndProducts", BenchOptions.END_TO_END_PRODUCTS);
            report.setting("endToEndClientThreads", EndToEndBenchmark.CLIENT_THREADS);
        }
        if (options.runs(Phase.OLD_IDS)) {
            report.setting("oldIdRepeats", options.oldIdRepeats());
        }
        if (options.runs(Phase.REPLAY)) {
            report.setting("replayEvents", options.replayEvents());
        }
        report.setting("runPrefix", runPrefix);
        if (options.targetsRunningStack() && options.backendGiven()) {
            report.note("--mongo-backend only applies to a stack ./bench starts; the running stack uses whatever "
                    + "it was started with.");
        }
    }

    /** --admin-password, else env ADMIN_PASSWORD, else ./start's data/admin-password. */
    private String adminPassword() {
        if (options.adminPassword() != null && !options.adminPassword().isBlank()) {
            return options.adminPassword();
        }
        Path file = home.resolve("data/admin-password");
        try {
            return Files.isRegularFile(file) ? Files.readString(file).trim() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private Optional<StackUnderTest> stack() {
        return Optional.ofNullable(stack);
    }

    private static String runPrefix() {
        // Short, and unique enough that products and order ids never meet those of an earlier run.
        String time = Long.toString(System.currentTimeMillis() / 1000 % 2_176_782_336L, 36);
        return "b" + time + Integer.toString(new SecureRandom().nextInt(36 * 36), 36);
    }

    private static String display(Path path) {
        Path cwd = Path.of("").toAbsolutePath();
        return path.startsWith(cwd) ? cwd.relativize(path).toString() : path.toString();
    }
}
