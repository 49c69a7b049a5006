package io.github.orderstock.command.publish;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import com.mongodb.client.MongoClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.extensions.kafka.KafkaProperties;
import org.axonframework.extensions.kafka.eventhandling.DefaultKafkaMessageConverter;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.mongodb.autoconfigure.MongoProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Kafka publisher, its producer and its progress; off with {@code app.publisher.enabled=false} (tests). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KafkaProperties.class)
@ConditionalOnProperty(name = "app.publisher.enabled", havingValue = "true", matchIfMissing = true)
class PublishingConfig {

    @Bean(destroyMethod = "close")
    Producer<String, byte[]> eventProducer(KafkaProperties kafka,
                                           @Value("${app.publisher.linger-ms:5}") int lingerMs) {
        Map<String, Object> config = kafka.buildProducerProperties();
        // Each product's events must reach its partition once each and in order, even when a send is retried.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        // A send that cannot reach the broker fails within 15 s instead of 2 min; the publisher then sends it again.
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    @Bean
    PublicationProgress publicationProgress(MongoClient client, MongoProperties properties) {
        return new PublicationProgress(client.getDatabase(properties.getMongoClientDatabase())
                .getCollection(PublicationProgress.COLLECTION));
    }

    /** The record layout axon-kafka writes and the query side's StreamableKafkaMessageSource reads. */
    @Bean
    KafkaMessageConverter<String, byte[]> eventMessageConverter(@Qualifier("eventSerializer") Serializer serializer) {
        return DefaultKafkaMessageConverter.builder().serializer(serializer).build();
    }

    @Bean
    EventPublisher eventPublisher(EventStorageEngine storage, PublicationProgress progress,
                                  Producer<String, byte[]> eventProducer,
                                  KafkaMessageConverter<String, byte[]> eventMessageConverter,
                                  KafkaProperties kafka, Clock clock, MeterRegistry meters,
                                  @Value("${app.publisher.max-batch:2000}") int maxBatch,
                                  @Value("${app.publisher.max-held:200000}") int maxHeld) {
        var settings = new EventPublisher.Settings(kafka.getDefaultTopic(), maxBatch, maxHeld, Duration.ofSeconds(1),
                Duration.ofSeconds(20), Duration.ofSeconds(2));
        return new EventPublisher(storage, progress, eventProducer, eventMessageConverter, settings, clock, meters);
    }

    /**
     * Axon's event store as its auto-configuration makes it, storing through a {@link PublishingStorageEngine}: the
     * events of every unit of work go to the publisher right after they are stored, and every product is registered
     * with the publisher before its first event is.
     */
    @Bean(name = "eventBus")
    @Qualifier("eventStore")
    EmbeddedEventStore eventStore(EventStorageEngine storage, EventPublisher eventPublisher,
                                  org.axonframework.config.Configuration axon) {
        return EmbeddedEventStore.builder()
                .storageEngine(new PublishingStorageEngine(storage, eventPublisher))
                .messageMonitor(axon.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(axon.getComponent(EventBusSpanFactory.class))
                .build();
    }
}
