package io.github.orderstock.systemtests.harness;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;

/**
 * Reads the whole event topic with a plain consumer (no group, no commits) and keeps every record: counts records
 * and duplicates per (aggregate, sequence), and folds the events into a fresh projection to compare the read model
 * with. {@link #refresh()} reads on from where the last read stopped, up to the end the topic has at that moment.
 */
public final class TopicAudit implements AutoCloseable {

    public static final String AGGREGATE_ID = "axon-message-aggregate-id";
    public static final String AGGREGATE_SEQ = "axon-message-aggregate-seq";
    public static final String MESSAGE_TYPE = "axon-message-type";
    public static final String MESSAGE_ID = "axon-message-id";
    public static final String TIMESTAMP = "axon-message-timestamp";

    static final String ADDED = "io.github.orderstock.events.ProductAddedEvent";
    static final String RESTOCKED = "io.github.orderstock.events.ProductRestockedEvent";
    static final String PLACED = "io.github.orderstock.events.OrderPlacedEvent";

    /** An event's place in its aggregate's stream. */
    public record EventKey(String aggregateId, long sequence) {
    }

    /** One record as it lies on the topic. */
    public record TopicRecord(int partition, long offset, String key, String aggregateId, Long sequence, String type,
                              String messageId, Long eventTimestamp, byte[] value, List<Header> headers) {

        public boolean isEvent() {
            return aggregateId != null && sequence != null && type != null;
        }

        public EventKey eventKey() {
            return new EventKey(aggregateId, sequence);
        }

        /** The JSON payload, or null when it is not a JSON object. */
        public Document payload() {
            try {
                return Document.parse(new String(value, StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicRecord> records = new ArrayList<>();
    private List<TopicPartition> partitions;

    public TopicAudit(String bootstrapServers, String topic) {
        this.topic = topic;
        var config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "system-tests-topic-audit");
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Reads every record appended since the last refresh, up to the current end of each partition. */
    public synchronized TopicAudit refresh() {
        refreshPartitions();
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p, Duration.ofSeconds(30)) < end.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Could not read topic " + topic + " to its end " + end + " within 120 s");
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                records.add(toRecord(record));
            }
        }
        return this;
    }

    /** The end offset of each partition now (the offset the next record will get). */
    public synchronized Map<Integer, Long> endOffsets() {
        refreshPartitions();
        Map<Integer, Long> ends = new TreeMap<>();
        consumer.endOffsets(partitions, Duration.ofSeconds(30)).forEach((p, end) -> ends.put(p.partition(), end));
        return ends;
    }

    private void refreshPartitions() {
        if (partitions == null) {
            partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }
    }

    public synchronized List<TopicRecord> records() {
        return List.copyOf(records);
    }

    /** The events of the given aggregates, grouped by (aggregate, sequence), each group in topic order. */
    public synchronized Map<EventKey, List<TopicRecord>> events(Predicate<String> aggregates) {
        Map<EventKey, List<TopicRecord>> events = new LinkedHashMap<>();
        for (TopicRecord record : records) {
            if (record.isEvent() && aggregates.test(record.aggregateId())) {
                events.computeIfAbsent(record.eventKey(), key -> new ArrayList<>()).add(record);
            }
        }
        return events;
    }

    /** Records of these aggregates on the topic. */
    public long recordCount(Collection<String> aggregates) {
        Set<String> wanted = new HashSet<>(aggregates);
        return records().stream().filter(r -> r.isEvent() && wanted.contains(r.aggregateId())).count();
    }

    /** Records beyond the first of each (aggregate, sequence), for these aggregates: the publisher's duplicates. */
    public long duplicates(Collection<String> aggregates) {
        Set<String> wanted = new HashSet<>(aggregates);
        return events(wanted::contains).values().stream().mapToLong(group -> group.size() - 1).sum();
    }

    /**
     * A fresh projection from the topic alone: per product, its events once each, in sequence order, folded into the
     * read model's document ({@code _id, productId, name, quantity, lastSequence}). Only products whose stream
     * starts with a readable {@code ProductAddedEvent} have a document, as in the real projection.
     */
    public Map<String, Document> projectProducts() {
        Map<String, Document> products = new TreeMap<>();
        for (List<TopicRecord> stream : streams().values()) {
            Document product = null;
            for (TopicRecord event : stream) {
                Document payload = event.payload();
                if (payload == null) {
                    continue;
                }
                if (event.type().equals(ADDED) && product == null) {
                    product = new Document("_id", event.aggregateId())
                            .append("productId", payload.getString("productId"))
                            .append("name", payload.getString("name"))
                            .append("quantity", (long) payload.getInteger("quantity"))
                            .append("lastSequence", event.sequence());
                } else if (product != null && (event.type().equals(RESTOCKED) || event.type().equals(PLACED))) {
                    long delta = event.type().equals(RESTOCKED) ? payload.getInteger("quantity")
                            : -payload.getInteger("quantity");
                    product.put("quantity", product.getLong("quantity") + delta);
                    product.put("lastSequence", event.sequence());
                }
            }
            if (product != null) {
                products.put(product.getString("_id"), product);
            }
        }
        return products;
    }

    /** The {@code orders} documents a fresh projection would hold: one per placed order id. */
    public Map<String, Document> projectOrders() {
        Map<String, Document> orders = new TreeMap<>();
        for (List<TopicRecord> stream : streams().values()) {
            for (TopicRecord event : stream) {
                Document payload = event.payload();
                if (payload == null || !event.type().equals(PLACED)) {
                    continue;
                }
                String orderId = payload.getString("orderId");
                orders.putIfAbsent(orderId, new Document("_id", orderId)
                        .append("orderId", orderId)
                        .append("productId", payload.getString("productId"))
                        .append("quantity", (long) payload.getInteger("quantity"))
                        .append("placedAt", new Date(event.eventTimestamp())));
            }
        }
        return orders;
    }

    /** Every aggregate's events, the first record of each sequence number, in sequence order. */
    private Map<String, List<TopicRecord>> streams() {
        Map<String, TreeMap<Long, TopicRecord>> bySequence = new TreeMap<>();
        for (TopicRecord record : records()) {
            if (record.isEvent()) {
                bySequence.computeIfAbsent(record.aggregateId(), id -> new TreeMap<>())
                        .putIfAbsent(record.sequence(), record);
            }
        }
        Map<String, List<TopicRecord>> streams = new TreeMap<>();
        bySequence.forEach((aggregate, events) -> streams.put(aggregate, new ArrayList<>(events.values())));
        return streams;
    }

    /** Records of the topic sorted by partition and offset, for failure messages. */
    public List<TopicRecord> inTopicOrder(Predicate<TopicRecord> filter) {
        return records().stream().filter(filter)
                .sorted(Comparator.comparingInt(TopicRecord::partition).thenComparingLong(TopicRecord::offset))
                .toList();
    }

    private static TopicRecord toRecord(ConsumerRecord<String, byte[]> record) {
        Headers headers = record.headers();
        return new TopicRecord(record.partition(), record.offset(), record.key(), string(headers, AGGREGATE_ID),
                number(headers, AGGREGATE_SEQ), string(headers, MESSAGE_TYPE), string(headers, MESSAGE_ID),
                number(headers, TIMESTAMP), record.value() == null ? new byte[0] : record.value(),
                List.of(headers.toArray()));
    }

    private static String string(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Long number(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null || header.value().length != Long.BYTES ? null
                : ByteBuffer.wrap(header.value()).getLong();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
