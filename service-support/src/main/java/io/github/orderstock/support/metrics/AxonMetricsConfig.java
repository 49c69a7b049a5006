package io.github.orderstock.support.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.micrometer.MetricsConfigurerModule;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon's Micrometer module on Spring Boot's registry, dimensional: one meter name per kind (for instance
 * {@code eventProcessor.latency}, {@code eventProcessor.capacity}) with the processor or component as a tag. Wired
 * here because Axon's own auto-configuration orders itself after Spring Boot 3's metrics classes, which Boot 4
 * renamed, and would otherwise add a registry of its own (excluded in application.yml). Its timers sit on the hot
 * path (command bus, event store, processors; each keeps percentiles): {@code app.metrics.axon-enabled=false} turns
 * them off, for instance to measure what they cost.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "app.metrics.axon-enabled", havingValue = "true", matchIfMissing = true)
public class AxonMetricsConfig {

    @Bean
    GlobalMetricRegistry axonMetricRegistry(MeterRegistry meters) {
        return new GlobalMetricRegistry(meters);
    }

    @Bean
    MetricsConfigurerModule axonMetrics(GlobalMetricRegistry axonMetricRegistry) {
        return new MetricsConfigurerModule(axonMetricRegistry, true);
    }
}
