package io.github.orderstock.systemtests.harness;

import io.github.orderstock.testsupport.EventRecords;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes records to the event topic behind the services' backs, each acknowledged before the next: events made by
 * {@link EventRecords}, exact copies of records already there (duplicate publications), and poison.
 */
public final class TopicWriter implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final EventRecords events;

    public TopicWriter(String bootstrapServers, String topic) {
        var config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // Room for a 1 MB poison record; the broker's own limit (message.max.bytes) still applies.
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "test-support-topic-writer");
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        this.events = new EventRecords(topic);
    }

    /** Builds records as the services do. */
    public EventRecords events() {
        return events;
    }

    /** Sends the record and waits for the broker's acknowledgement. */
    public RecordMetadata send(ProducerRecord<String, byte[]> record) {
        try {
            return producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("Could not write " + record.topic() + " record: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Appends an exact copy of a record (key, value, headers) to its partition: a duplicate publication. */
    public RecordMetadata republish(String topic, TopicAudit.TopicRecord record) {
        return send(new ProducerRecord<>(topic, record.partition(), record.key(), record.value(), record.headers()));
    }

    @Override
    public void close() {
        producer.close();
    }
}
