package io.github.orderstock.query.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.orderstock.support.json.JacksonConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.github.orderstock.events.OrderPlacedEvent;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaTrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.axonframework.springboot.autoconfig.AxonTracingAutoConfiguration;
import org.axonframework.springboot.autoconfig.EventProcessingAutoConfiguration;
import org.axonframework.springboot.autoconfig.InfraConfiguration;
import org.axonframework.springboot.autoconfig.NoOpTransactionAutoConfiguration;
import org.axonframework.springboot.autoconfig.ObjectMapperAutoConfiguration;
import org.bson.Document;
import org.bson.types.Binary;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson2.autoconfigure.Jackson2AutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * What version 0.1.0 (Spring Boot 3.5.16) stored and sent is read by this version's serializer, as Spring wires it:
 * the projection's Kafka position from the token store, and an event as it travels on the topic. The token document
 * in {@code stored-by-0.1.0/trackingtokens.jsonl} was copied out of a 0.1.0 dev stack's MongoDB.
 */
class StoredByEarlierVersionTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withPropertyValues("axon.axonserver.enabled=false", "axon.serializer.general=jackson",
                    "axon.serializer.events=jackson", "axon.serializer.messages=jackson")
            .withUserConfiguration(JacksonConfig.class)
            .withConfiguration(AutoConfigurations.of(Jackson2AutoConfiguration.class,
                    ObjectMapperAutoConfiguration.class, AxonTracingAutoConfiguration.class, EventProcessingAutoConfiguration.class,
                    InfraConfiguration.class, NoOpTransactionAutoConfiguration.class,
                    AxonAutoConfiguration.class));

    @Test
    void readsTheProjectionsStoredKafkaPosition() throws IOException {
        Document stored = Document.parse(resource("/stored-by-0.1.0/trackingtokens.jsonl").strip());

        context.run(app -> {
            Serializer serializer = app.getBean("serializer", Serializer.class);
            TrackingToken token = serializer.deserialize(new SimpleSerializedObject<>(
                    stored.get("token", Binary.class).getData(), byte[].class,
                    new SimpleSerializedType(stored.getString("tokenType"), null)));

            assertThat(token).isInstanceOf(KafkaTrackingToken.class);
            assertThat(((KafkaTrackingToken) token).getPositions())
                    .containsExactlyInAnyOrderEntriesOf(Map.of(
                            new org.apache.kafka.common.TopicPartition("shop-events", 3), 1L,
                            new org.apache.kafka.common.TopicPartition("shop-events", 2), 523L));
        });
    }

    @Test
    void readsAnEventAsTheEarlierVersionSentIt() {
        context.run(app -> {
            Serializer serializer = app.getBean("eventSerializer", Serializer.class);
            Object event = serializer.deserialize(new SimpleSerializedObject<>(
                    "{\"orderId\":\"o2\",\"productId\":\"p2\",\"quantity\":2}".getBytes(StandardCharsets.UTF_8),
                    byte[].class, new SimpleSerializedType(OrderPlacedEvent.class.getName(), "1")));

            assertThat(event).isEqualTo(new OrderPlacedEvent("o2", "p2", 2));
        });
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = StoredByEarlierVersionTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
