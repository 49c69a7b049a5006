package io.github.orderstock.benchmark.stack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.orderstock.benchmark.BenchmarkException;
import io.github.orderstock.benchmark.report.Figures;

/**
 * The stack the benchmark measures: either one it launched itself ({@code java -jar dev-stack/target/dev-stack.jar}
 * on a fresh data directory and free ports, exactly as {@code ./start} runs it), or one already running that it only
 * targets. Closing a launched stack stops it: SIGTERM to the launcher, which stops its parts in order, then any part
 * that is still alive is terminated too.
 */
public final class StackUnderTest implements AutoCloseable {

    /** The seed's product and stock on a fresh data directory (the command side adds it on its first start). */
    static final String SEED_PRODUCT = "1";
    static final int SEED_STOCK = 10;
    static final String ADMIN_USER = "admin";

    private static final Pattern ALL_UP = Pattern.compile("All up in ([0-9]+(?:\\.[0-9]+)?) s");
    private static final Duration COLD_START_DEADLINE = Duration.ofSeconds(180);
    private static final Duration LAUNCHER_STOP_TIMEOUT = Duration.ofSeconds(120);

    private final ShopClient client;
    private final String kafkaBootstrap;
    private final String description;
    private final Process launcher;
    private final Path dataDir;
    private final Path launcherLog;
    private final Deque<String> launcherTail = new ArrayDeque<>();
    private final CompletableFuture<Double> allUp = new CompletableFuture<>();
    private final Map<Long, ProcessHandle> seenProcesses = new LinkedHashMap<>();
    private long launchedAt;
    private Figures.ColdStart coldStart;
    private boolean stopped;

    private StackUnderTest(ShopClient client, String kafkaBootstrap, String description, Process launcher,
                           Path dataDir) {
        this.client = client;
        this.kafkaBootstrap = kafkaBootstrap;
        this.description = description;
        this.launcher = launcher;
        this.dataDir = dataDir;
        this.launcherLog = dataDir == null ? null : dataDir.resolve("launcher.log");
    }

    /** A stack started elsewhere ({@code ./start}); it is neither started nor stopped here. */
    public static StackUnderTest running(String commandUrl, String queryUrl, String adminPassword,
                                         String kafkaBootstrap) {
        var client = new ShopClient(commandUrl, queryUrl, ADMIN_USER, adminPassword);
        for (URI url : List.of(client.commandUrl(), client.queryUrl())) {
            if (!client.answers(url)) {
                throw new BenchmarkException("Nothing answers at " + url + ". Start the stack (./start) or give the "
                        + "right --command-url and --query-url; without them ./bench starts a stack of its own.");
            }
        }
        return new StackUnderTest(client, kafkaBootstrap, "running at %s and %s (not started by the benchmark)"
                .formatted(client.commandUrl(), client.queryUrl()), null, null);
    }

    /**
     * Launches the dev stack on a fresh temporary data directory and free ports; {@link #awaitColdStart} then waits
     * until it serves.
     *
     * @param home the project clone, holding dev-stack/target/dev-stack.jar and the services' jars
     */
    public static StackUnderTest launch(Path home, String mongoBackend, PrintStream out) {
        Path launcherJar = home.resolve("dev-stack/target/dev-stack.jar");
        for (Path jar : List.of(launcherJar, home.resolve("command-side/target/command-side.jar"),
                home.resolve("query-side/target/query-side.jar"))) {
            if (!Files.isRegularFile(jar)) {
                throw new BenchmarkException(jar + " is missing. Build first: ./mvnw -q -DskipTests package "
                        + "(./bench does that for you).");
            }
        }
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("order-stock-bench-");
        } catch (IOException e) {
            throw new BenchmarkException("Cannot create a temporary data directory (java.io.tmpdir="
                    + System.getProperty("java.io.tmpdir") + "): " + e.getMessage(), e);
        }
        List<Integer> ports = FreePorts.take(5);
        int commandPort = ports.get(0);
        int queryPort = ports.get(1);
        int kafkaPort = ports.get(2);
        String adminPassword = randomPassword();

        List<String> command = new ArrayList<>();
        // A session of its own: the terminal's Ctrl-C reaches only the benchmark, whose shutdown hook stops the stack.
        for (String setsid : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(setsid))) {
                command.add(setsid);
                break;
            }
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-jar", launcherJar.toString(),
                "--home", home.toString(), "--data-dir", dataDir.toString(),
                "--command-port", String.valueOf(commandPort), "--query-port", String.valueOf(queryPort),
                "--kafka-port", String.valueOf(kafkaPort), "--kafka-controller-port", String.valueOf(ports.get(3)),
                "--mongo-port", String.valueOf(ports.get(4)), "--mongo-backend", mongoBackend));
        var builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        builder.environment().put("ADMIN_PASSWORD", adminPassword);

        out.printf("Starting the stack: dev-stack.jar, MongoDB stand-in backend %s, data in %s%n", mongoBackend,
                dataDir);
        long launched = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new BenchmarkException("Cannot launch " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        var client = new ShopClient("http://127.0.0.1:" + commandPort, "http://127.0.0.1:" + queryPort, ADMIN_USER,
                adminPassword);
        var stack = new StackUnderTest(client, "127.0.0.1:" + kafkaPort,
                "started by the benchmark (fresh data directory %s)".formatted(dataDir), process, dataDir);
        stack.launchedAt = launched;
        stack.followLauncherOutput();
        return stack;
    }

    /**
     * Waits until a launched stack serves, and measures its cold start: from launching until an order for the seed
     * product was accepted and the read model shows its stock one lower. Does nothing for a running stack.
     *
     * @throws BenchmarkException if the launcher exits or the stack is not ready in time (it is then stopped, its
     *                            data and logs kept)
     */
    public void awaitColdStart(PrintStream out) {
        if (launcher == null || coldStart != null) {
            return;
        }
        try {
            coldStart = awaitFirstOrderApplied(launchedAt, out);
        } catch (RuntimeException e) {
            close(true);
            throw e;
        }
    }

    public ShopClient client() {
        return client;
    }

    /** Where Kafka listens, or null if unknown (a running stack without --kafka). */
    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    public String description() {
        return description;
    }

    /** The cold start, if this stack was launched here. */
    public Optional<Figures.ColdStart> coldStart() {
        return Optional.ofNullable(coldStart);
    }

    public boolean launchedHere() {
        return launcher != null;
    }

    /** The data directory of a launched stack (its logs are in {@code logs/}). */
    public Optional<Path> dataDir() {
        return Optional.ofNullable(dataDir);
    }

    /** The stack's processes now: the launcher's descendants, or for a running stack those found by command line. */
    public Supplier<List<StackProcesses.StackProcess>> processes() {
        if (launcher == null) {
            return runningStackProcesses();
        }
        return () -> {
            List<StackProcesses.StackProcess> processes = StackProcesses.launchedBy(launcher.toHandle());
            synchronized (seenProcesses) {
                processes.forEach(p -> ProcessHandle.of(p.pid()).ifPresent(h -> seenProcesses.put(p.pid(), h)));
            }
            return processes;
        };
    }

    /** For a running stack: found by the ports its services listen on, looked up again at most every 10 s. */
    private Supplier<List<StackProcesses.StackProcess>> runningStackProcesses() {
        int commandPort = port(client.commandUrl());
        int queryPort = port(client.queryUrl());
        long[] foundAt = {Long.MIN_VALUE};
        List<List<StackProcesses.StackProcess>> found = new ArrayList<>(List.of(List.of()));
        return () -> {
            synchronized (found) {
                long now = System.nanoTime();
                boolean gone = found.get(0).stream().anyMatch(p -> ProcessHandle.of(p.pid()).isEmpty());
                if (foundAt[0] == Long.MIN_VALUE || gone || now - foundAt[0] > 10_000_000_000L) {
                    found.set(0, StackProcesses.listeningOn(commandPort, queryPort));
                    foundAt[0] = now;
                }
                return found.get(0);
            }
        };
    }

    private static int port(URI url) {
        if (url.getPort() > 0) {
            return url.getPort();
        }
        return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }

    /** Whether a launched stack's launcher still runs (a running stack: assumed so). */
    public boolean isAlive() {
        return launcher == null || launcher.isAlive();
    }

    /** The last lines the launcher printed, for failure messages. */
    public String launcherTail() {
        synchronized (launcherTail) {
            return String.join(System.lineSeparator(), launcherTail);
        }
    }

    @Override
    public void close() {
        close(false);
    }

    /**
     * Stops a launched stack and waits until every one of its processes is gone; deletes its data directory unless
     * {@code keepData}. Does nothing for a running stack. Safe to call twice (the shutdown hook does).
     */
    public synchronized void close(boolean keepData) {
        if (launcher == null || stopped) {
            return;
        }
        stopped = true;
        List<ProcessHandle> parts = new ArrayList<>();
        try {
            processes().get();
        } catch (RuntimeException e) {
            // the launcher may already be gone; what was seen before is enough
        }
        synchronized (seenProcesses) {
            parts.addAll(seenProcesses.values());
        }
        launcher.descendants().forEach(parts::add);
        long started = System.nanoTime();
        if (launcher.isAlive()) {
            System.out.println("Stopping the stack (SIGTERM to the launcher, which stops each part in turn)...");
            launcher.destroy();
            if (!waitFor(launcher.toHandle(), LAUNCHER_STOP_TIMEOUT)) {
                System.err.printf("The launcher did not stop within %d s; killing it.%n",
                        LAUNCHER_STOP_TIMEOUT.toSeconds());
                launcher.destroyForcibly();
                waitFor(launcher.toHandle(), Duration.ofSeconds(10));
            }
        }
        for (ProcessHandle part : parts) {
            if (part.isAlive()) {
                System.err.printf("Part pid %d%s was still alive after the launcher stopped; terminating it.%n",
                        part.pid(), part.info().command().map(c -> " (" + c + ")").orElse(""));
                part.destroy();
                if (!waitFor(part, Duration.ofSeconds(15))) {
                    part.destroyForcibly();
                    waitFor(part, Duration.ofSeconds(10));
                }
            }
        }
        long alive = parts.stream().filter(ProcessHandle::isAlive).count();
        System.out.printf("Stack stopped in %.1f s%s.%n", (System.nanoTime() - started) / 1e9,
                alive == 0 ? "" : "; %d process(es) could NOT be stopped: %s".formatted(alive, parts.stream()
                        .filter(ProcessHandle::isAlive).map(p -> String.valueOf(p.pid())).toList()));
        if (keepData) {
            System.out.println("Its data and logs are kept in " + dataDir + " (logs/ holds one log per part, "
                    + "launcher.log the launcher's output).");
        } else {
            deleteRecursively(dataDir);
        }
    }

    private Figures.ColdStart awaitFirstOrderApplied(long launched, PrintStream out) {
        long deadline = launched + COLD_START_DEADLINE.toNanos();
        String runId = Long.toString(System.currentTimeMillis(), 36);
        int attempt = 0;
        String orderId = "cold-start-" + runId + "-" + attempt;
        Double acceptedAt = null;
        String lastAnswer = "nothing yet";
        while (true) {
            if (!launcher.isAlive()) {
                throw new BenchmarkException("The stack's launcher exited (code %d) before the stack was ready; see %s "
                        .formatted(launcher.exitValue(), launcherLog) + "and the parts' logs in " + dataDir.resolve(
                        "logs") + ". Its last lines:" + System.lineSeparator() + launcherTail());
            }
            if (System.nanoTime() > deadline) {
                throw new BenchmarkException("The stack was not ready within %d s (last: %s). See %s and %s."
                        .formatted(COLD_START_DEADLINE.toSeconds(), lastAnswer, launcherLog, dataDir.resolve("logs"))
                        + " The launcher's last lines:" + System.lineSeparator() + launcherTail());
            }
            try {
                if (acceptedAt == null) {
                    int status = client.placeOrder(orderId, SEED_PRODUCT, 1);
                    lastAnswer = "POST /orders answered " + status;
                    if (status == 201 || status == 200) {
                        acceptedAt = seconds(launched);
                        continue;
                    }
                    // A definite refusal (the seed product not there yet, a 503 while Kafka starts): nothing was
                    // placed, so the next attempt may take a new order id.
                    orderId = "cold-start-" + runId + "-" + (++attempt);
                } else {
                    OptionalInt stock = client.stock(SEED_PRODUCT);
                    lastAnswer = "order accepted; GET /products/1 shows " + (stock.isPresent()
                            ? "stock " + stock.getAsInt() : "no product yet");
                    if (stock.isPresent() && stock.getAsInt() == SEED_STOCK - 1) {
                        double ready = seconds(launched);
                        double allUpSeconds = awaitAllUp();
                        out.printf("Stack ready after %.1f s (order accepted after %.1f s; the launcher said \"All up "
                                + "in %.1f s\").%n", ready, acceptedAt, allUpSeconds);
                        return new Figures.ColdStart(allUpSeconds, ready, acceptedAt);
                    }
                }
            } catch (IOException e) {
                // Not listening yet, or the answer was cut off: try again with the same order id, which is safe.
                lastAnswer = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            sleep(100);
        }
    }

    private double awaitAllUp() {
        try {
            return allUp.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new BenchmarkException("The stack served, but the launcher never printed \"All up in X s\" within "
                    + "60 s. Its last lines:" + System.lineSeparator() + launcherTail());
        } catch (ExecutionException e) {
            throw new BenchmarkException("Reading the launcher's output failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkException("Interrupted while waiting for the launcher", e);
        }
    }

    /** Copies the launcher's output into launcher.log, keeps its tail, and catches "All up in X s". */
    private void followLauncherOutput() {
        Thread reader = new Thread(() -> {
            try (var in = new BufferedReader(new InputStreamReader(launcher.getInputStream(),
                    StandardCharsets.UTF_8)); Writer log = Files.newBufferedWriter(launcherLog)) {
                String line;
                while ((line = in.readLine()) != null) {
                    log.write(line);
                    log.write(System.lineSeparator());
                    log.flush();
                    synchronized (launcherTail) {
                        launcherTail.addLast(line);
                        if (launcherTail.size() > 40) {
                            launcherTail.removeFirst();
                        }
                    }
                    Matcher matcher = ALL_UP.matcher(line);
                    if (matcher.find()) {
                        allUp.complete(Double.parseDouble(matcher.group(1)));
                    }
                }
            } catch (IOException | RuntimeException e) {
                allUp.completeExceptionally(e);
            }
        }, "dev-stack-output");
        reader.setDaemon(true);
        reader.start();
    }

    private static boolean waitFor(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static String randomPassword() {
        byte[] secret = new byte[12];
        new SecureRandom().nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkException("Interrupted", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                    Files.deleteIfExists(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("Could not delete the stack's data directory " + dir + ": " + e.getMessage());
        }
    }
}
