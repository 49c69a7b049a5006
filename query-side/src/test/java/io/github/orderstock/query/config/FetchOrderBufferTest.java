package io.github.orderstock.query.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class FetchOrderBufferTest {

    @Test
    void handsOutRecordsInTheOrderTheyWereFetched() throws Exception {
        FetchOrderBuffer<String> buffer = new FetchOrderBuffer<>(10);

        buffer.putAll(List.of("partition-0@0 (newer)", "partition-0@1", "partition-3@0 (older)"));

        assertThat(buffer.peek()).isEqualTo("partition-0@0 (newer)");
        assertThat(buffer.take()).isEqualTo("partition-0@0 (newer)");
        assertThat(buffer.poll(1, TimeUnit.SECONDS)).isEqualTo("partition-0@1");
        assertThat(buffer.take()).isEqualTo("partition-3@0 (older)");
        assertThat(buffer.poll(10, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void reportsTheFetchersFailureToTheProcessor() {
        FetchOrderBuffer<String> buffer = new FetchOrderBuffer<>(10);

        buffer.setException(new IllegalStateException("broker gone"));

        assertThatThrownBy(() -> buffer.poll(1, TimeUnit.SECONDS)).hasMessage("broker gone");
    }

    @Test
    void knowsItsCapacity() throws Exception {
        FetchOrderBuffer<String> buffer = new FetchOrderBuffer<>(2);
        buffer.put("a");

        assertThat(buffer.size()).isEqualTo(1);
        assertThat(buffer.remainingCapacity()).isEqualTo(1);
        buffer.clear();
        assertThat(buffer.isEmpty()).isTrue();
    }
}
