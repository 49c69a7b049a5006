package io.github.orderstock.command.publish;

import java.time.Clock;
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
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.mongodb.autoconfigure.MongoProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Kafka publisher, its producer and its progress; off with {@code app.publisher.enabled=false} (tests). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({KafkaProperties.class, PublisherProperties.class})
@ConditionalOnProperty(name = "app.publisher.enabled", havingValue = "true", matchIfMissing = true)
class PublishingConfig {

    @Bean(destroyMethod = "close")
    Producer<String, byte[]> eventProducer(KafkaProperties kafka, PublisherProperties publisher) {
        Map<String, Object> config = kafka.buildProducerProperties();
        // Each product's events must reach its partition once each and in order, even when a send is retried.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, publisher.lingerMs());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) publisher.requestTimeout().toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) publisher.deliveryTimeout().toMillis());
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
                                  KafkaProperties kafka, PublisherProperties publisher, Clock clock,
                                  MeterRegistry meters) {
        var settings = new EventPublisher.Settings(kafka.getDefaultTopic(), publisher.maxBatch(), publisher.maxHeld(),
                publisher.progressEvery(), publisher.ackTimeout(), publisher.maxBackOff());
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
