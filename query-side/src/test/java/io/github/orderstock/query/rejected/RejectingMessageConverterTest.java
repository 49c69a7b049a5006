package io.github.orderstock.query.rejected;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import io.github.orderstock.events.OrderPlacedEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.extensions.kafka.eventhandling.DefaultKafkaMessageConverter;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

class RejectingMessageConverterTest {

    private final DefaultKafkaMessageConverter axon = DefaultKafkaMessageConverter.builder()
            .serializer(JacksonSerializer.defaultSerializer()).build();
    private final RejectingMessageConverter converter = new RejectingMessageConverter(axon);

    @Test
    void passesReadableEventsThrough() {
        ProducerRecord<String, byte[]> produced = axon.createKafkaMessage(placed(), "shop-events");

        EventMessage<?> read = converter.readKafkaMessage(consumed(produced, produced.value())).orElseThrow();

        assertThat(read).isInstanceOf(DomainEventMessage.class);
        assertThat(read.getPayload()).isEqualTo(new OrderPlacedEvent("o-1", "1", 2));
    }

    @Test
    void rejectsRandomBytes() {
        byte[] noise = new byte[64];
        new Random(7).nextBytes(noise);
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("shop-events", 2, 41, "1", noise);

        RejectedRecord rejected = (RejectedRecord) converter.readKafkaMessage(record).orElseThrow().getPayload();

        assertThat(rejected.kind()).isEqualTo("no-envelope");
        assertThat(rejected.reason()).isEqualTo("not an Axon event envelope");
        assertThat(rejected.id()).isEqualTo("shop-events-2@41");
        assertThat(rejected.size()).isEqualTo(64);
    }

    @Test
    void aRejectedRecordIsHandledByExactlyOneSegmentHoweverOftenItIsRead() {
        var handler = SimpleEventHandlerInvoker.builder().eventHandlers(new Object() {
            @EventHandler
            void on(RejectedRecord record) {
            }
        }).build();
        Segment[] segments = Segment.ROOT_SEGMENT.split();
        for (int offset = 0; offset < 200; offset++) {
            byte[] noise = new byte[16];
            new Random(offset).nextBytes(noise);
            var record = new ConsumerRecord<String, byte[]>("shop-events", 0, offset, null, noise);
            // Each segment's own read of the record, as the processor's threads do.
            int handledBy = 0;
            for (Segment segment : segments) {
                if (handler.canHandle(converter.readKafkaMessage(record).orElseThrow(), segment)) {
                    handledBy++;
                }
            }
            assertThat(handledBy).as("segments handling the record at offset %d", offset).isEqualTo(1);
        }
    }

    @Test
    void rejectsAnEnvelopeOfAnUnknownEventType() {
        ProducerRecord<String, byte[]> produced = axon.createKafkaMessage(placed(), "shop-events");
        produced.headers().remove("axon-message-type");
        produced.headers().add("axon-message-type", "com.example.UnheardOfEvent".getBytes(StandardCharsets.UTF_8));

        Object payload = converter.readKafkaMessage(consumed(produced, produced.value())).orElseThrow().getPayload();

        assertThat(((RejectedRecord) payload).reason()).isEqualTo("unknown event type com.example.UnheardOfEvent");
    }

    @Test
    void rejectsAKnownTypeWhosePayloadDoesNotDeserialize() {
        ProducerRecord<String, byte[]> produced = axon.createKafkaMessage(placed(), "shop-events");

        Object payload = converter.readKafkaMessage(consumed(produced, "{not json".getBytes(StandardCharsets.UTF_8)))
                .orElseThrow().getPayload();

        assertThat(((RejectedRecord) payload).reason())
                .startsWith("unreadable payload of io.github.orderstock.events.OrderPlacedEvent");
    }

    private static GenericDomainEventMessage<OrderPlacedEvent> placed() {
        return new GenericDomainEventMessage<>("ProductAggregate", "1", 3, new OrderPlacedEvent("o-1", "1", 2));
    }

    private static ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> produced, byte[] value) {
        return new ConsumerRecord<>(produced.topic(), 0, 7, 0L, TimestampType.LOG_APPEND_TIME, 0, value.length,
                produced.key(), value, new RecordHeaders(produced.headers().toArray()), java.util.Optional.empty());
    }
}
