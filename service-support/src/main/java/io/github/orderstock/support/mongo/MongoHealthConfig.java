package io.github.orderstock.support.mongo;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.mongodb.client.MongoClient;
import org.bson.Document;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.boot.mongodb.autoconfigure.MongoProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Deadlines for everything that waits on MongoDB, and MongoDB's part of {@code /actuator/health} (and of readiness,
 * ADR 9): a {@code ping} of this service's database that answers within {@link MongoDeadlines#healthTimeout()}, also
 * while MongoDB hangs. Spring Boot 4's own indicator sends {@code hello}, which real MongoDB answers but the embedded
 * stand-in (mongo-java-server) does not; {@code ping} is answered by both.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MongoDeadlines.class)
public class MongoHealthConfig {

    /** Applied after the URI's options, so these deadlines hold whatever {@code MONGO_URI} says. */
    @Bean
    MongoClientSettingsBuilderCustomizer mongoDeadlines(MongoDeadlines deadlines) {
        return settings -> settings
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(
                        deadlines.serverSelectionTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .applyToSocketSettings(socket -> socket
                        .connectTimeout((int) deadlines.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .readTimeout((int) deadlines.readTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .applyToConnectionPoolSettings(pool -> pool.maxWaitTime(deadlines.poolWaitTimeout().toMillis(),
                        TimeUnit.MILLISECONDS))
                .applyToServerSettings(server -> server.heartbeatFrequency(
                        deadlines.heartbeatFrequency().toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Named as Boot's is, so that Boot's backs off. */
    @Bean
    HealthIndicator mongoHealthIndicator(MongoClient client, MongoProperties properties, MongoDeadlines deadlines) {
        String database = properties.getMongoClientDatabase();
        ExecutorService healthChecks = pingThreads();
        return () -> {
            Future<?> ping;
            try {
                ping = healthChecks.submit(() -> client.getDatabase(database).runCommand(new Document("ping", 1)));
            } catch (RejectedExecutionException e) {
                return Health.down().withDetail("database", database)
                        .withDetail("error", "earlier pings are still waiting for MongoDB").build();
            }
            try {
                ping.get(deadlines.healthTimeout().toMillis(), TimeUnit.MILLISECONDS);
                return Health.up().withDetail("database", database).build();
            } catch (TimeoutException e) {
                ping.cancel(true);
                return Health.down().withDetail("database", database).withDetail("error",
                        "no answer to ping within " + deadlines.healthTimeout().toMillis() + " ms").build();
            } catch (ExecutionException e) {
                return Health.down().withDetail("database", database)
                        .withDetail("error", String.valueOf(e.getCause())).build();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Health.down().withDetail("database", database).withDetail("error", "interrupted").build();
            }
        };
    }

    /**
     * The threads pings run in, so that health answers on time while a ping waits for a hung server. A ping waits at
     * most the read timeout, so a few threads suffice; when they do not, health says DOWN at once. Idle threads end.
     */
    private static ExecutorService pingThreads() {
        return new ThreadPoolExecutor(0, 4, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
            Thread thread = new Thread(task, "mongo-health");
            thread.setDaemon(true);
            return thread;
        });
    }
}
