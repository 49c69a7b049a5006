package io.github.orderstock.command.publish;

import static io.github.orderstock.command.publish.UnpublishedEventsTest.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.extensions.kafka.eventhandling.DefaultKafkaMessageConverter;
import org.axonframework.extensions.kafka.eventhandling.HeaderUtils;
import org.axonframework.messaging.Headers;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

/** Sending a round to Kafka's {@link MockProducer} and counting what the broker acknowledged without a gap. */
class RoundSenderTest {

    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());

    @Test
    void sendsEachStreamInOrderKeyedByItsProduct() {
        MockProducer<String, byte[]> acknowledging =
                new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        StreamBatch p = StreamBatch.inMemory("p", 0, events("p", 0, 2));
        StreamBatch q = StreamBatch.inMemory("q", 5, events("q", 5, 1));

        RoundSender.Result result = sender(acknowledging, Duration.ofSeconds(5)).send(List.of(p, q));

        assertThat(result).isEqualTo(new RoundSender.Result(0, null));
        assertThat(p.acknowledged).isEqualTo(2);
        assertThat(q.acknowledged).isEqualTo(1);
        assertThat(acknowledging.history()).extracting(RoundSenderTest::position)
                .containsExactly("shop-events:p/0", "shop-events:p/1", "shop-events:q/5");
    }

    @Test
    void countsAStreamOnlyUpToItsFirstUnacknowledgedEvent() {
        StreamBatch p = StreamBatch.inMemory("p", 0, events("p", 0, 3));
        NetworkException lost = new NetworkException("lost");

        CompletableFuture<RoundSender.Result> sending =
                CompletableFuture.supplyAsync(() -> sender(producer, Duration.ofSeconds(10)).send(List.of(p)));
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 3);
        producer.completeNext();
        producer.errorNext(lost);
        producer.completeNext();
        RoundSender.Result result = sending.join();

        assertThat(result.incomplete()).isEqualTo(1);
        assertThat(result.failure()).isSameAs(lost);
        assertThat(p.acknowledged).as("the third was acknowledged, but after a gap").isEqualTo(1);
        assertThat(p.acknowledgedUpTo()).isZero();
    }

    @Test
    void aBrokerThatDoesNotAnswerFailsTheRoundAfterTheAckTimeout() {
        StreamBatch p = StreamBatch.inMemory("p", 0, events("p", 0, 2));

        RoundSender.Result result = sender(producer, Duration.ofMillis(50)).send(List.of(p));

        assertThat(result.incomplete()).isEqualTo(1);
        assertThat(result.failure()).isInstanceOf(TimeoutException.class);
        assertThat(p.acknowledged).isZero();
    }

    @Test
    void aSendRefusedAtOnceLeavesTheRestOfTheRoundUnsent() {
        MockProducer<String, byte[]> down =
                new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        down.sendException = new org.apache.kafka.common.errors.TimeoutException("no broker");
        StreamBatch p = StreamBatch.inMemory("p", 0, events("p", 0, 2));
        StreamBatch q = StreamBatch.inMemory("q", 0, events("q", 0, 2));

        RoundSender.Result result = sender(down, Duration.ofSeconds(5)).send(List.of(p, q));

        assertThat(result.incomplete()).isEqualTo(2);
        assertThat(result.failure()).isSameAs(down.sendException);
        assertThat(p.acknowledged).isZero();
        assertThat(q.acknowledged).isZero();
    }

    static RoundSender sender(MockProducer<String, byte[]> producer, Duration ackTimeout) {
        return new RoundSender(producer, converter(), "shop-events", ackTimeout);
    }

    static DefaultKafkaMessageConverter converter() {
        return DefaultKafkaMessageConverter.builder().serializer(JacksonSerializer.defaultSerializer()).build();
    }

    /** topic:key/sequence of a record, the sequence from axon-kafka's header. */
    static String position(ProducerRecord<String, byte[]> record) {
        return record.topic() + ":" + record.key() + "/"
                + HeaderUtils.valueAsLong(record.headers(), Headers.AGGREGATE_SEQ);
    }
}
