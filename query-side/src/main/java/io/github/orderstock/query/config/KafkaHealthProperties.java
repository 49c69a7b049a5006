package io.github.orderstock.query.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code app.kafka.*}: the query side's view of Kafka's health.
 *
 * @param healthTimeout how long the health check waits for the broker before readiness says DOWN
 */
@ConfigurationProperties("app.kafka")
public record KafkaHealthProperties(@DefaultValue("1500ms") Duration healthTimeout) {
}
