package io.github.orderstock.query.config;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.axonframework.extensions.kafka.KafkaProperties;
import org.springframework.beans.factory.annotation.Value;
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
class KafkaHealthConfig {

    /** One admin client kept open, so that a health check costs one request, not a new connection. */
    @Bean(destroyMethod = "close")
    Admin healthAdmin(KafkaProperties kafka, @Value("${app.kafka.health-timeout:1500ms}") Duration timeout) {
        int millis = (int) timeout.toMillis();
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", kafka.getBootstrapServers()),
                AdminClientConfig.CLIENT_ID_CONFIG, "query-side-health",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis));
    }

    @Bean
    HealthIndicator kafkaHealthIndicator(Admin healthAdmin,
                                         @Value("${app.kafka.health-timeout:1500ms}") Duration timeout) {
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
