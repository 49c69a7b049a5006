package io.github.orderstock.testsupport;

import io.github.orderstock.events.OrderPlacedEvent;
import io.github.orderstock.events.ProductAddedEvent;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.extensions.kafka.eventhandling.DefaultKafkaMessageConverter;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.serialization.json.JacksonSerializer;

/**
 * Kafka records of events made the way the command side makes them: axon-kafka's {@link DefaultKafkaMessageConverter}
 * with Axon's Jackson serializer, so key (the product id), value (the event as JSON) and headers are the services' own.
 * A product's events carry their place in the product's stream: 0 for {@link ProductAddedEvent}, then 1, 2, ... in
 * order, the sequence the projection applies each event once by.
 */
public final class EventRecords {

    /** The aggregate that owns every stock event: the product. */
    static final String AGGREGATE = "Product";

    private final KafkaMessageConverter<String, byte[]> converter = DefaultKafkaMessageConverter.builder()
            .serializer(JacksonSerializer.defaultSerializer()).build();
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

    /**
     * Any payload as an event of {@code aggregateId} at {@code sequence}; the command that caused it is Axon's
     * correlation data, the same id twice, as on the services' messages.
     */
    public ProducerRecord<String, byte[]> record(String aggregateId, long sequence, Object payload,
                                                 long timestampMillis) {
        String commandId = UUID.randomUUID().toString();
        var message = new GenericDomainEventMessage<>(AGGREGATE, aggregateId, sequence, payload,
                Map.of("traceId", commandId, "correlationId", commandId), UUID.randomUUID().toString(),
                Instant.ofEpochMilli(timestampMillis));
        return converter.createKafkaMessage(message, topic);
    }
}
