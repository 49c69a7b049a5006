package io.github.orderstock.benchmark.replay;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.orderstock.events.OrderPlacedEvent;
import io.github.orderstock.events.ProductAddedEvent;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.axonframework.serialization.Revision;

/**
 * Kafka records in exactly the form the command side publishes events (axon-kafka's DefaultKafkaMessageConverter
 * with the Jackson serializer): key = the product id (the aggregate id, so one product's events share a partition
 * and keep their order), value = the event as JSON, and Axon's headers in the order the converter writes them (the
 * metadata the command side's messages carry first, then the message's own); numbers in headers are 8-byte big-endian
 * longs. The projection takes a product's events by their sequence number in the product's stream: 0 for
 * {@link ProductAddedEvent}, then 1, 2, ... in order.
 */
public final class EventRecords {

    static final String TRACE_ID = "axon-metadata-traceId";
    static final String CORRELATION_ID = "axon-metadata-correlationId";
    static final String MESSAGE_ID = "axon-message-id";
    static final String MESSAGE_TYPE = "axon-message-type";
    static final String MESSAGE_REVISION = "axon-message-revision";
    static final String MESSAGE_TIMESTAMP = "axon-message-timestamp";
    static final String AGGREGATE_ID = "axon-message-aggregate-id";
    static final String AGGREGATE_SEQ = "axon-message-aggregate-seq";
    static final String AGGREGATE_TYPE = "axon-message-aggregate-type";
    /** The aggregate that owns every stock event: the product. */
    static final String AGGREGATE = "Product";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String topic;

    public EventRecords(String topic) {
        this.topic = topic;
    }

    /** A product's first event (sequence 0). */
    public ProducerRecord<String, byte[]> productAdded(ProductAddedEvent event, long timestampMillis) {
        return record(event.productId(), 0, event, timestampMillis);
    }

    /** An order taken from a product's stock, at position {@code sequence} of the product's stream. */
    public ProducerRecord<String, byte[]> orderPlaced(OrderPlacedEvent event, long sequence, long timestampMillis) {
        if (sequence < 1) {
            throw new IllegalArgumentException("an order follows its product's ProductAddedEvent (sequence 0)");
        }
        return record(event.productId(), sequence, event, timestampMillis);
    }

    private ProducerRecord<String, byte[]> record(String productId, long sequence, Record payload,
                                                  long timestampMillis) {
        var headers = new RecordHeaders();
        // The command that caused the event: Axon's correlation data, the same id twice.
        byte[] commandId = utf8(UUID.randomUUID().toString());
        headers.add(TRACE_ID, commandId);
        headers.add(CORRELATION_ID, commandId);
        headers.add(MESSAGE_ID, utf8(UUID.randomUUID().toString()));
        headers.add(AGGREGATE_SEQ, longBytes(sequence));
        headers.add(AGGREGATE_TYPE, utf8(AGGREGATE));
        headers.add(MESSAGE_REVISION, utf8(revision(payload.getClass())));
        headers.add(MESSAGE_TIMESTAMP, longBytes(timestampMillis));
        headers.add(MESSAGE_TYPE, utf8(payload.getClass().getName()));
        headers.add(AGGREGATE_ID, utf8(productId));
        try {
            return new ProducerRecord<>(topic, null, null, productId, JSON.writeValueAsBytes(payload), headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + payload + " as JSON", e);
        }
    }

    /** The event's {@code @Revision}: part of its wire format, read from the class as the serializer does. */
    static String revision(Class<?> eventType) {
        Revision revision = eventType.getAnnotation(Revision.class);
        if (revision == null) {
            throw new IllegalStateException(eventType.getName() + " has no @Revision");
        }
        return revision.value();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] longBytes(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }
}
