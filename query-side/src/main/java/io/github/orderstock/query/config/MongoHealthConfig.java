package io.github.orderstock.query.config;

import com.mongodb.client.MongoClient;
import org.bson.Document;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.mongodb.autoconfigure.MongoProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * MongoDB's part of {@code /actuator/health}: a {@code ping} of this service's database. Spring Boot 4's own
 * indicator sends {@code hello}, which real MongoDB answers but the embedded stand-in (mongo-java-server) does not, so
 * health would read DOWN on the dev stack with MongoDB working; {@code ping} is answered by both.
 */
@Configuration(proxyBeanMethods = false)
class MongoHealthConfig {

    /** Named as Boot's is, so that Boot's backs off. */
    @Bean
    HealthIndicator mongoHealthIndicator(MongoClient client, MongoProperties properties) {
        String database = properties.getMongoClientDatabase();
        return new AbstractHealthIndicator("MongoDB health check failed") {
            @Override
            protected void doHealthCheck(Health.Builder builder) {
                client.getDatabase(database).runCommand(new Document("ping", 1));
                builder.up().withDetail("database", database);
            }
        };
    }
}
