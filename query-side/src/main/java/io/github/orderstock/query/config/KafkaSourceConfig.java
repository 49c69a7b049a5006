package io.github.orderstock.query.config;

import java.util.List;

import io.github.orderstock.query.rejected.RejectingMessageConverter;
import io.github.orderstock.query.stock.ProductStockProjection;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.extensions.kafka.KafkaProperties;
import org.axonframework.extensions.kafka.eventhandling.DefaultKafkaMessageConverter;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.extensions.kafka.eventhandling.consumer.ConsumerFactory;
import org.axonframework.extensions.kafka.eventhandling.consumer.Fetcher;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaEventMessage;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.StreamableKafkaMessageSource;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The projection's message source: the extension's own, with a buffer that keeps tokens in step and a converter that
 * reports unreadable records instead of dropping them. A failing event handler (MongoDB unreachable) stops the
 * processor, which retries the same events with back-off: Axon's default would log the failure and skip the event.
 */
@Configuration(proxyBeanMethods = false)
class KafkaSourceConfig {

    @Bean
    KafkaMessageConverter<String, byte[]> kafkaMessageConverter(@Qualifier("eventSerializer") Serializer serializer,
                                                                org.axonframework.config.Configuration axon) {
        return new RejectingMessageConverter(DefaultKafkaMessageConverter.builder()
                .serializer(serializer)
                .upcasterChain(axon.upcasterChain() != null ? axon.upcasterChain() : new EventUpcasterChain())
                .build());
    }

    @Autowired
    void retryFailedEventsInsteadOfSkippingThem(EventProcessingConfigurer processing) {
        processing.registerListenerInvocationErrorHandler(ProductStockProjection.PROCESSING_GROUP,
                configuration -> PropagatingErrorHandler.instance());
    }

    @Bean
    <K, V> StreamableKafkaMessageSource<K, V> streamableKafkaMessageSource(
            KafkaProperties kafka, @Qualifier("eventSerializer") Serializer eventSerializer,
            ConsumerFactory<K, V> kafkaConsumerFactory, Fetcher<K, V, KafkaEventMessage> kafkaFetcher,
            KafkaMessageConverter<K, V> kafkaMessageConverter) {
        return StreamableKafkaMessageSource.<K, V>builder()
                .topics(List.of(kafka.getDefaultTopic()))
                .serializer(eventSerializer)
                .consumerFactory(kafkaConsumerFactory)
                .fetcher(kafkaFetcher)
                .messageConverter(kafkaMessageConverter)
                .bufferFactory(() -> new FetchOrderBuffer<>(kafka.getFetcher().getBufferSize()))
                .build();
    }
}
