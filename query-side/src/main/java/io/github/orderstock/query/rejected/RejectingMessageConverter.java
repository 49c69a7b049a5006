package io.github.orderstock.query.rejected;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.UnknownSerializedType;

/**
 * Reads records with the extension's converter, but turns every record it cannot read into a {@link RejectedRecord}
 * message instead of dropping it. A dropped record does not move the processor's token, so one at the end of a
 * partition would be read again after each restart and would keep a replay from ever completing; and nobody would
 * know it was there.
 */
public class RejectingMessageConverter implements KafkaMessageConverter<String, byte[]> {

    private static final int PREVIEW_BYTES = 256;

    private final KafkaMessageConverter<String, byte[]> delegate;

    public RejectingMessageConverter(KafkaMessageConverter<String, byte[]> delegate) {
        this.delegate = delegate;
    }

    @Override
    public ProducerRecord<String, byte[]> createKafkaMessage(EventMessage<?> eventMessage, String topic) {
        return delegate.createKafkaMessage(eventMessage, topic);
    }

    @Override
    public Optional<EventMessage<?>> readKafkaMessage(ConsumerRecord<String, byte[]> record) {
        Optional<EventMessage<?>> event = delegate.readKafkaMessage(record);
        if (event.isEmpty()) {
            return rejected(record, "no-envelope", "not an Axon event envelope");
        }
        try {
            if (event.get().getPayloadType() == UnknownSerializedType.class) {
                return rejected(record, "unknown-type", "unknown event type " + header(record, "axon-message-type"));
            }
            event.get().getPayload();
            return event;
        } catch (RuntimeException e) {
            return rejected(record, "unreadable-payload", "unreadable payload of " + header(record, "axon-message-type")
                    + ": "
                    + e.getClass().getSimpleName());
        }
    }

    private static Optional<EventMessage<?>> rejected(ConsumerRecord<String, byte[]> record, String kind,
                                                       String reason) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        String preview = new String(value, 0, Math.min(value.length, PREVIEW_BYTES), StandardCharsets.UTF_8);
        var rejected = new RejectedRecord(record.topic(), record.partition(), record.offset(), record.key(), kind,
                reason, value.length, preview);
        // The same identifier every time the record is read: each segment of the processor reads the topic and
        // converts it on its own, and the identifier decides which segment handles a message that belongs to no
        // aggregate. A random one would have it handled by no segment, or by both.
        return Optional.of(new GenericEventMessage<>(
                new GenericMessage<>("rejected:" + rejected.id(), rejected, MetaData.emptyInstance()),
                () -> Instant.ofEpochMilli(record.timestamp())));
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "(none)" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
