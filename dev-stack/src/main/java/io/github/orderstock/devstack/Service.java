package io.github.orderstock.devstack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Spring Boot service started from its jar (extracted, with a class data sharing archive: {@link ClassDataSharing}),
 * ready when its actuator health says UP.
 */
final class Service {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    /** A service starts in 8–15 s on an idle 2-core machine; restarted while the rest of the stack is under load, a
     *  start took up to 65 s. */
    private static final Duration READY_WITHIN = Duration.ofSeconds(180);
    /**
     * Each service should stay within 400 MB resident. Native Memory Tracking of the command side after 90,000 orders
     * (docs/performance.md, item 7): the heap as committed, ~63 MB metaspace, ~34 MB JIT code, ~16 MB symbols, ~12 MB
     * thread stacks, G1's own structures 46 MB, and ~40 MB resident beyond what NMT accounts for (freed glibc malloc
     * memory not given back). The parallel collector needs 16 MB of its own and was as fast here; the periodic trim hands freed malloc
     * memory back; metaspace, code cache and stacks are bounded. The product cache holds its values softly, so it is
     * given up before the heap runs out. Should the heap run out anyway, the process ends instead of living on with
     * threads that died of it (issue 13: Tomcat's acceptor, the Kafka producer's and MongoDB monitor's threads).
     */
    static final List<String> JVM_OPTIONS = List.of("-XX:+UseParallelGC", "-Xmx176m", "-XX:+ExitOnOutOfMemoryError",
            "-XX:TrimNativeHeapInterval=10000", "-XX:MaxMetaspaceSize=160m", "-XX:ReservedCodeCacheSize=64m",
            "-Xss512k", "-Daxoniq.update-checker.disabled=true");

    private Service() {
    }

    static Child child(String name, StackOptions options, int port, Map<String, String> environment, Jvm jvm) {
        return child(name, name, options, port, environment, jvm, READY_WITHIN);
    }

    /**
     * One instance of a cluster's service: {@code module} names the jar, {@code name} the instance and its log file.
     * Three instances start together there, so each may take up to three times as long as one alone.
     */
    static Child child(String module, String name, StackOptions options, int port, Map<String, String> environment,
                       Jvm jvm) {
        return child(module, name, options, port, environment, jvm, READY_WITHIN.multipliedBy(3));
    }

    private static Child child(String module, String name, StackOptions options, int port,
                               Map<String, String> environment, Jvm jvm, Duration readyWithin) {
        Path jar = options.home().resolve(module).resolve("target").resolve(module + ".jar");
        var sharing = new ClassDataSharing(jar);
        Map<String, String> withMalloc = new HashMap<>(environment);
        // glibc gives every thread that allocates its own 64 MB arena; two keep the resident size down.
        withMalloc.putIfAbsent("MALLOC_ARENA_MAX", "2");
        URI health = URI.create("http://127.0.0.1:" + port + "/actuator/health");
        Path log = options.dataDir().resolve("logs").resolve(name + ".log");
        return new Child(new Child.Spec(name, "http://localhost:" + port, port, log, options.dataDir(),
                sharing.command(jvm, JVM_OPTIONS), withMalloc, () -> {
                    requireJar(jar);
                    sharing.prepare(jvm, JVM_OPTIONS, withMalloc, log);
                }, () -> up(health), readyWithin, Duration.ofSeconds(20)));
    }

    private static void requireJar(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new StackException(jar + " is missing. Build the services first: ./mvnw -q -DskipTests package "
                    + "(./start does that for you).");
        }
    }

    private static boolean up(URI health) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 && response.body().replace(" ", "").contains("\"status\":\"UP\"");
    }
}
