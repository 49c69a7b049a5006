package io.github.orderstock.query.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

import io.github.orderstock.query.watch.WatchSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.Consumer;
import org.axonframework.extensions.kafka.eventhandling.consumer.ConsumerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The settings of the lag sampler and the live page, and the Kafka consumer's own metrics ({@code kafka.consumer.*}:
 * fetch rate, records lag, bytes consumed). The extension creates a new consumer at every start and reset of the
 * processor (a replay), so each one's meters are bound when it is created and removed when it is closed.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WatchSettings.class)
class WatchConfig {

    @Bean
    static BeanPostProcessor kafkaConsumerMetrics(ObjectProvider<MeterRegistry> meters) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof ConsumerFactory<?, ?> factory) {
                    return metered(factory, meters);
                }
                return bean;
            }
        };
    }

    private static <K, V> ConsumerFactory<K, V> metered(ConsumerFactory<K, V> factory,
                                                        ObjectProvider<MeterRegistry> meters) {
        return groupId -> {
            Consumer<K, V> consumer = factory.createConsumer(groupId);
            KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
            metrics.bindTo(meters.getObject());
            return closingMetrics(consumer, metrics);
        };
    }

    @SuppressWarnings("unchecked")
    private static <K, V> Consumer<K, V> closingMetrics(Consumer<K, V> consumer, KafkaClientMetrics metrics) {
        return (Consumer<K, V>) Proxy.newProxyInstance(Consumer.class.getClassLoader(), new Class<?>[]{Consumer.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        metrics.close();
                    }
                    try {
                        return method.invoke(consumer, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
