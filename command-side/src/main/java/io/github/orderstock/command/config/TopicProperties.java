package io.github.orderstock.command.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code app.kafka.*}: the event topic the command side creates when it is missing.
 *
 * @param topicPartitions        partitions; a product's events always go to one of them
 * @param topicReplicationFactor copies of each partition
 * @param topicMinInsyncReplicas copies that must have a record before it is acknowledged; none: the broker's setting
 * @param adminTimeout           how long one attempt to find or create the topic may take
 * @param retryEvery             the pause between attempts while Kafka cannot be reached
 */
@ConfigurationProperties("app.kafka")
public record TopicProperties(@DefaultValue("4") int topicPartitions,
                              @DefaultValue("1") short topicReplicationFactor,
                              Integer topicMinInsyncReplicas,
                              @DefaultValue("10s") Duration adminTimeout,
                              @DefaultValue("5s") Duration retryEvery) {
}
