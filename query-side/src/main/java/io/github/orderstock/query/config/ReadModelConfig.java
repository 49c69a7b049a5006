package io.github.orderstock.query.config;

import java.time.Clock;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import io.github.orderstock.query.stock.ProjectionInstances;
import io.github.orderstock.query.stock.ProjectionProperties;
import io.github.orderstock.query.stock.ReadModel;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;
import org.axonframework.serialization.Serializer;
import org.springframework.boot.mongodb.autoconfigure.MongoProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The read model and the projection's Kafka positions live in the same MongoDB database. axon-mongo has no Spring
 * Boot auto-configuration, so its token store is defined here (the Kafka extension would otherwise keep the tokens
 * in a Kafka topic).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProjectionProperties.class)
class ReadModelConfig {

    @Bean
    MongoDatabase readModel(MongoClient client, MongoProperties properties) {
        return client.getDatabase(properties.getMongoClientDatabase());
    }

    /** Opened before the processor starts, so that a switch a crash interrupted is finished first. */
    @Bean
    ReadModel readModelCollections(MongoDatabase readModel, Clock clock) {
        return ReadModel.open(readModel, clock);
    }

    /**
     * Claims carry this instance's name: two instances must never share one, not even two in one JVM (Axon's default
     * is the JVM's name).
     */
    @Bean
    TokenStore tokenStore(MongoClient client, MongoProperties properties, Serializer serializer,
                          ProjectionInstances instances, ProjectionProperties projection) {
        return MongoTokenStore.builder()
                .mongoTemplate(DefaultMongoTemplate.builder()
                        .mongoDatabase(client, properties.getMongoClientDatabase())
                        .build())
                .serializer(serializer)
                .nodeId(instances.self())
                .claimTimeout(projection.claimTimeout())
                .build();
    }

    @Bean
    ProjectionInstances projectionInstances(MongoDatabase readModel, Clock clock, ProjectionProperties projection) {
        return new ProjectionInstances(readModel.getCollection(ProjectionInstances.COLLECTION), projection.self(),
                projection.aliveFor(), clock);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
