package io.github.orderstock.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.orderstock.events.OrderPlacedEvent;
import io.github.orderstock.events.ProductAddedEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

class EventRecordsTest {

    private final EventRecords records = new EventRecords("shop-events");

    /** As a record the command side published looks on the topic (read from a running stack). */
    @Test
    void anOrderLooksLikeOneTheCommandSidePublished() {
        ProducerRecord<String, byte[]> record = records.orderPlaced(new OrderPlacedEvent("o-1", "p-1", 1), 7,
                1_700_000_000_123L);

        assertThat(record.topic()).isEqualTo("shop-events");
        assertThat(record.key()).isEqualTo("p-1");
        assertThat(record.partition()).as("the producer partitions by key, as the command side's").isNull();
        assertThat(new String(record.value(), StandardCharsets.UTF_8))
                .isEqualTo("{\"orderId\":\"o-1\",\"productId\":\"p-1\",\"quantity\":1}");
        assertThat(Arrays.stream(record.headers().toArray()).map(Header::key)).containsExactly(
                "axon-metadata-traceId", "axon-metadata-correlationId", "axon-message-id",
                "axon-message-aggregate-seq", "axon-message-aggregate-type", "axon-message-revision",
                "axon-message-timestamp", "axon-message-type", "axon-message-aggregate-id");
        assertThat(text(record, "axon-message-type")).isEqualTo("io.github.orderstock.events.OrderPlacedEvent");
        assertThat(text(record, "axon-message-revision")).isEqualTo("1");
        assertThat(text(record, "axon-message-aggregate-id")).isEqualTo("p-1");
        assertThat(text(record, "axon-message-aggregate-type")).isEqualTo("Product");
        assertThat(number(record, "axon-message-aggregate-seq")).isEqualTo(7);
        assertThat(number(record, "axon-message-timestamp")).isEqualTo(1_700_000_000_123L);
        assertThat(text(record, "axon-message-id")).matches("[0-9a-f-]{36}");
        assertThat(text(record, "axon-metadata-traceId")).isEqualTo(text(record, "axon-metadata-correlationId"));
    }

    @Test
    void aProductIsTheFirstEventOfItsStream() {
        ProducerRecord<String, byte[]> record = records.productAdded(new ProductAddedEvent("p-1", "Name", 5), 1L);

        assertThat(number(record, "axon-message-aggregate-seq")).isZero();
        assertThat(text(record, "axon-message-type")).isEqualTo("io.github.orderstock.events.ProductAddedEvent");
        assertThat(new String(record.value(), StandardCharsets.UTF_8))
                .isEqualTo("{\"productId\":\"p-1\",\"name\":\"Name\",\"quantity\":5}");
        assertThatThrownBy(() -> records.orderPlaced(new OrderPlacedEvent("o", "p-1", 1), 0, 1L))
                .hasMessageContaining("sequence 0");
    }

    @Test
    void everyMessageHasItsOwnId() {
        var first = records.orderPlaced(new OrderPlacedEvent("o-1", "p", 1), 1, 1L);
        var second = records.orderPlaced(new OrderPlacedEvent("o-2", "p", 1), 2, 1L);

        assertThat(text(first, "axon-message-id")).isNotEqualTo(text(second, "axon-message-id"));
    }

    private static String text(ProducerRecord<String, byte[]> record, String header) {
        return new String(record.headers().lastHeader(header).value(), StandardCharsets.UTF_8);
    }

    private static long number(ProducerRecord<String, byte[]> record, String header) {
        return ByteBuffer.wrap(record.headers().lastHeader(header).value()).getLong();
    }
}
