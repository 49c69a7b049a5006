package io.github.orderstock.command.config;

import java.time.Clock;

import com.mongodb.client.MongoClient;
import io.github.orderstock.command.store.CaffeineAggregateCache;
import io.github.orderstock.command.store.StreamKeyedStorageStrategy;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.MongoEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.mongo.MongoProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * axon-mongo has no Spring Boot auto-configuration: the event store (keyed by stream position, see
 * {@link StreamKeyedStorageStrategy}) and the product's snapshots and cache are wired here.
 */
@Configuration(proxyBeanMethods = false)
class EventStoreConfig {

    @Bean
    MongoTemplate axonMongoTemplate(MongoClient client, MongoProperties properties) {
        return DefaultMongoTemplate.builder()
                .mongoDatabase(client, properties.getMongoClientDatabase())
                .build();
    }

    @Bean
    EventStorageEngine eventStorageEngine(MongoTemplate axonMongoTemplate, Serializer serializer,
                                          @Qualifier("eventSerializer") Serializer eventSerializer) {
        return MongoEventStorageEngine.builder()
                .mongoTemplate(axonMongoTemplate)
                .snapshotSerializer(serializer)
                .eventSerializer(eventSerializer)
                .storageStrategy(new StreamKeyedStorageStrategy())
                .build();
    }

    /** A hot product's stream grows with every order; snapshots keep loading it after a restart short. */
    @Bean
    SnapshotTriggerDefinition productSnapshotTrigger(Snapshotter snapshotter,
                                                     @Value("${app.snapshot-every:500}") int threshold) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, threshold);
    }

    /** Products stay loaded between commands instead of being read from the event store for every order. */
    @Bean
    Cache productCache(@Value("${app.cached-products:10000}") long cachedProducts) {
        return new CaffeineAggregateCache(cachedProducts);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
