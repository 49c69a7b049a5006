package io.github.orderstock.command.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.producer.Producer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The publisher's Kafka producer's own metrics ({@code kafka.producer.*}: record send rate, errors, request latency,
 * buffer use), which Spring Boot binds only for producers it creates itself. None when the publisher is off.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "app.publisher.enabled", havingValue = "true", matchIfMissing = true)
class KafkaClientMetricsConfig {

    @Bean(destroyMethod = "close")
    KafkaClientMetrics eventProducerMetrics(Producer<String, byte[]> eventProducer, MeterRegistry meters) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(eventProducer);
        metrics.bindTo(meters);
        return metrics;
    }
}
