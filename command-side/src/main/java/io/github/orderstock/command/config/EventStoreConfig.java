package io.github.orderstock.command.config;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.mongodb.client.MongoClient;
import io.github.orderstock.command.store.CaffeineAggregateCache;
import io.github.orderstock.command.store.StreamKeyedStorageStrategy;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.SnapshotterSpanFactory;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.MongoEventStorageEngine;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.eventsourcing.SpringAggregateSnapshotter;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.mongodb.autoconfigure.MongoProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * axon-mongo has no Spring Boot auto-configuration: the event store (keyed by stream position, see
 * {@link StreamKeyedStorageStrategy}) and the product's snapshots and cache are wired here.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProductStoreProperties.class)
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

    /**
     * Axon's snapshotter, taking snapshots on a thread of its own. By default it takes them in the thread that
     * committed the triggering command, before the product's lock is released: every 500th event, orders for that
     * product waited while 500 events were read back and a snapshot of the product's remembered orders was written.
     * At most one snapshot per product is pending (Axon skips a request while one is); one that fails is logged and
     * the next trigger tries again.
     */
    @Bean
    SpringAggregateSnapshotter aggregateSnapshotter(org.axonframework.config.Configuration configuration,
                                                    HandlerDefinition handlerDefinition,
                                                    ParameterResolverFactory parameterResolverFactory,
                                                    EventStore eventStore, TransactionManager transactionManager,
                                                    SnapshotterSpanFactory spanFactory,
                                                    ExecutorService snapshotExecutor) {
        return SpringAggregateSnapshotter.builder()
                .repositoryProvider(configuration::repository)
                .transactionManager(transactionManager)
                .eventStore(eventStore)
                .parameterResolverFactory(parameterResolverFactory)
                .handlerDefinition(handlerDefinition)
                .spanFactory(spanFactory)
                .executor(snapshotExecutor)
                .build();
    }

    @Bean(destroyMethod = "shutdown")
    ExecutorService snapshotExecutor() {
        return Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "product-snapshots");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A hot product's stream grows with every order; snapshots keep loading it after a restart short. */
    @Bean
    SnapshotTriggerDefinition productSnapshotTrigger(Snapshotter snapshotter, ProductStoreProperties products) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, products.snapshotEvery());
    }

    /** Products stay loaded between commands instead of being read from the event store for every order. */
    @Bean
    Cache productCache(ProductStoreProperties products) {
        return new CaffeineAggregateCache(products.cached());
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
