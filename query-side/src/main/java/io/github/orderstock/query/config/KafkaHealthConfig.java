package io.github.orderstock.query.config;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.orderstock.support.kafka.KafkaAdmins;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.axonframework.extensions.kafka.KafkaProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Kafka's part of {@code /actuator/health} and of readiness (ADR 9): the query side reads nothing new while the
 * broker cannot be reached. The check asks the broker to describe its cluster and says DOWN after
 * {@code app.kafka.health-timeout} without an answer.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KafkaHealthProperties.class)
class KafkaHealthConfig {

    /** One admin client kept open, so that a health check costs one request, not a new connection. */
    @Bean(destroyMethod = "close")
    Admin healthAdmin(KafkaProperties kafka, KafkaHealthProperties health) {
        return KafkaAdmins.create(kafka.getBootstrapServers(), "query-side-health", health.healthTimeout());
    }

    @Bean
    HealthIndicator kafkaHealthIndicator(Admin healthAdmin, KafkaHealthProperties health) {
        Duration timeout = health.healthTimeout();
        return () -> {
            try {
                String clusterId = healthAdmin.describeCluster(new DescribeClusterOptions()
                                .timeoutMs((int) timeout.toMillis()))
                        .clusterId().get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
                return Health.up().withDetail("clusterId", String.valueOf(clusterId)).build();
            } catch (ExecutionException e) {
                return Health.down().withDetail("error", String.valueOf(e.getCause())).build();
            } catch (TimeoutException e) {
                return Health.down().withDetail("error", "no answer within " + timeout.toMillis() + " ms").build();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Health.down().withDetail("error", "interrupted").build();
            }
        };
    }
}
