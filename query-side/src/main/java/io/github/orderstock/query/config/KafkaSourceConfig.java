package io.github.orderstock.query.config;

import java.util.List;

import org.axonframework.extensions.kafka.KafkaProperties;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.extensions.kafka.eventhandling.consumer.ConsumerFactory;
import org.axonframework.extensions.kafka.eventhandling.consumer.Fetcher;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaEventMessage;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.StreamableKafkaMessageSource;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The projection's message source: the extension's own, but with a buffer that keeps tokens in step. */
@Configuration(proxyBeanMethods = false)
class KafkaSourceConfig {

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
