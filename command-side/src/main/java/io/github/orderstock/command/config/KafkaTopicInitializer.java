package io.github.orderstock.command.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.orderstock.support.kafka.KafkaAdmins;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.axonframework.extensions.kafka.KafkaProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Creates the event topic when it is missing. The topic is the replay source, so it keeps records forever; the broker
 * stamps them on append so timestamps never go backwards within a partition. While Kafka is unreachable the service
 * still takes orders (the publisher catches up later) and this keeps trying in the background.
 */
@Component
@EnableConfigurationProperties(TopicProperties.class)
@ConditionalOnProperty(name = "app.publisher.enabled", havingValue = "true", matchIfMissing = true)
class KafkaTopicInitializer implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(KafkaTopicInitializer.class);

    private final KafkaProperties kafka;
    private final TopicProperties settings;

    KafkaTopicInitializer(KafkaProperties kafka, TopicProperties settings) {
        this.kafka = kafka;
        this.settings = settings;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!tryCreate()) {
            Thread retry = new Thread(() -> {
                while (!tryCreate()) {
                    try {
                        Thread.sleep(settings.retryEvery().toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "kafka-topic-initializer");
            retry.setDaemon(true);
            retry.start();
        }
    }

    private boolean tryCreate() {
        String topic = kafka.getDefaultTopic();
        long waitMillis = settings.adminTimeout().toMillis() + 1_000;
        try (Admin admin = KafkaAdmins.create(kafka.getBootstrapServers(), "command-side-topic", settings.adminTimeout())) {
            Set<String> existing = admin.listTopics().names().get(waitMillis, TimeUnit.MILLISECONDS);
            if (existing.contains(topic)) {
                log.info("Kafka topic '{}' exists", topic);
                return true;
            }
            Map<String, String> topicConfig = new HashMap<>(Map.of(
                    TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime",
                    TopicConfig.RETENTION_MS_CONFIG, "-1",
                    TopicConfig.RETENTION_BYTES_CONFIG, "-1"));
            // Unset, the topic follows the broker's min.insync.replicas (1 unless the cluster says otherwise).
            Integer minInSyncReplicas = settings.topicMinInsyncReplicas();
            if (minInSyncReplicas != null) {
                topicConfig.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInSyncReplicas.toString());
            }
            NewTopic newTopic = new NewTopic(topic, settings.topicPartitions(), settings.topicReplicationFactor())
                    .configs(topicConfig);
            admin.createTopics(List.of(newTopic)).all().get(waitMillis, TimeUnit.MILLISECONDS);
            log.info("Created Kafka topic '{}' with {} partitions, replication factor {}, min.insync.replicas {}",
                    topic, settings.topicPartitions(), settings.topicReplicationFactor(),
                    minInSyncReplicas == null ? "of the broker" : minInSyncReplicas);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return true;
            }
            warn(topic, e.getCause());
            return false;
        } catch (TimeoutException | RuntimeException e) {
            warn(topic, e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void warn(String topic, Throwable cause) {
        log.warn("Cannot create Kafka topic '{}' at {} ({}); orders are still taken and published once Kafka is "
                + "reachable. Check KAFKA_BOOTSTRAP_SERVERS. Retrying in {} s.", topic, kafka.getBootstrapServers(),
                cause.toString(), settings.retryEvery().toSeconds());
    }
}
