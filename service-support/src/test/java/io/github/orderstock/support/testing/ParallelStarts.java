package io.github.orderstock.support.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;

/**
 * Starts Spring Boot applications side by side in one JVM. Spring Boot configures Logback anew at each start, and two
 * starts at once race on it: Logback reports "There is no conversion class registered for composite conversion word
 * [clr]" and a start fails. Logging is configured once here, and the applications started together leave it alone.
 */
public final class ParallelStarts {

    private ParallelStarts() {
    }

    /**
     * Starts one instance of a service on a free port, on the given MongoDB and Kafka topic, with the update check
     * off; {@code more} are the service's own settings, as {@code --name=value}.
     */
    public static ConfigurableApplicationContext instance(Class<?> application, String mongoUri, KafkaTestBroker kafka,
                                                          String topic, String clientId, String... more) {
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.mongodb.uri=" + mongoUri,
                "--axon.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--axon.kafka.default-topic=" + topic,
                "--axon.kafka.client-id=" + clientId,
                "--axoniq.update-checker.disabled=true"));
        arguments.addAll(Arrays.asList(more));
        // As command-line arguments: they take precedence over application.yml, as the environment does.
        return new SpringApplicationBuilder(application).run(arguments.toArray(String[]::new));
    }

    /** Runs every start at the same moment, each on a thread of its own; their results in the same order. */
    public static <T> List<T> together(List<Supplier<T>> starts) throws ExecutionException, InterruptedException {
        LoggingSystem logging = LoggingSystem.get(ParallelStarts.class.getClassLoader());
        logging.beforeInitialize();
        logging.initialize(new LoggingInitializationContext(new StandardEnvironment()), null, null);
        System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
        try {
            List<CompletableFuture<T>> running = new ArrayList<>();
            for (Supplier<T> start : starts) {
                var future = new CompletableFuture<T>();
                new Thread(() -> {
                    try {
                        future.complete(start.get());
                    } catch (Throwable e) {
                        future.completeExceptionally(e);
                    }
                }, "parallel-start-" + running.size()).start();
                running.add(future);
            }
            List<T> started = new ArrayList<>();
            for (CompletableFuture<T> each : running) {
                started.add(each.get());
            }
            return started;
        } finally {
            System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
        }
    }
}
