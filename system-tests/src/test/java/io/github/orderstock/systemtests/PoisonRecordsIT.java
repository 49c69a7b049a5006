package io.github.orderstock.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.orderstock.events.OrderPlacedEvent;
import io.github.orderstock.systemtests.harness.Checks;
import io.github.orderstock.systemtests.harness.Figures;
import io.github.orderstock.systemtests.harness.Scale;
import io.github.orderstock.systemtests.harness.Stores;
import io.github.orderstock.systemtests.harness.SystemStackExtension;
import io.github.orderstock.systemtests.harness.TopicAudit;
import io.github.orderstock.systemtests.harness.TopicWriter;
import io.github.orderstock.testsupport.LoadClient;
import io.github.orderstock.testsupport.Oracle;
import io.github.orderstock.testsupport.Oracle.OrderRequest;
import io.github.orderstock.testsupport.Oracle.Outcome;
import io.github.orderstock.testsupport.ShopClient;
import io.github.orderstock.testsupport.TestStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.bson.Document;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Test 7: records the projection cannot use lie on the topic among real events (random bytes, a valid Axon envelope
 * of an unknown event type, a record of about 1 MB whose payload is not readable). The projection neither stalls
 * nor crashes, applies every later event, and reports each poison record: one document per record in
 * {@code shop_read.rejected_records} and the counter {@code orderstock.projection.rejected.records}.
 */
@Order(70)
@ExtendWith(SystemStackExtension.class)
class PoisonRecordsIT {

    /** The dead-letter collection the query side is to keep, one document per rejected record. */
    static final String DEAD_LETTERS = "rejected_records";
    /** The counter the query side is to expose, incremented once per rejected record. */
    static final String METRIC = "orderstock.projection.rejected.records";
    /** Just under the broker's default message.max.bytes (1,048,588 bytes for a whole batch). */
    static final int ONE_MB = 1_000_000;

    private record Poison(String kind, int partition, long offset, int bytes) {
    }

    @Test
    void poisonRecordsAreReportedAndEveryLaterEventIsApplied(TestStack stack) throws IOException {
        Scale scale = Scale.current();
        var figures = new Figures(("7. Poison records on the topic (%d round(s) of random bytes, an unknown event "
                + "type, a 1 MB record)").formatted(scale.poisonRounds()));
        var oracle = new Oracle();
        var client = new LoadClient(stack.http(), stack.commandUrl(), oracle);
        List<String> products = client.addProducts("t7", 3, 0, 0, 1_000_000);
        placeOrders(client, products, "t7-before", 10);
        Checks.awaitReadModel(stack, oracle, products, Duration.ofSeconds(60));

        long pid = stack.querySide().pid().orElseThrow();
        double metricBefore = metric(stack);
        List<Poison> poison = new ArrayList<>();
        var random = new Random(42);
        try (var producer = new TopicWriter(stack.bootstrapServers(), TestStack.TOPIC)) {
            for (int round = 1; round <= scale.poisonRounds(); round++) {
                byte[] garbage = new byte[256];
                random.nextBytes(garbage);
                poison.add(send(producer, "random bytes", new ProducerRecord<>(TestStack.TOPIC, products.get(0),
                        garbage)));

                var unknown = envelope(producer, products.get(1),
                        "{\"productId\":\"t7-p01\",\"colour\":\"red\"}".getBytes(StandardCharsets.UTF_8),
                        "io.github.orderstock.events.ProductRepaintedEvent", "t7-unknown-" + round);
                poison.add(send(producer, "unknown event type", unknown));

                byte[] big = new byte[ONE_MB];
                random.nextBytes(big);
                var oversized = envelope(producer, products.get(2), big,
                        "io.github.orderstock.events.OrderPlacedEvent", "t7-oversized-" + round);
                poison.add(send(producer, "1 MB unreadable payload", oversized));
            }
        }

        // Every later event is applied, without a restart, by the same process.
        placeOrders(client, products, "t7-after", 30);
        long afterFrom = System.nanoTime();
        Throwable stalled = Checks.capture(
                () -> Checks.awaitReadModel(stack, oracle, products, Duration.ofSeconds(60)));
        double applied = (System.nanoTime() - afterFrom) / 1e9;
        boolean samePid = stack.querySide().pid().equals(Optional.of(pid));
        double metricAfter = metric(stack);

        // And again after a kill -9: the poison may be read again, and must not stop the projection either.
        stack.kill(stack.querySide());
        double restart = stack.restart(stack.querySide());
        placeOrders(client, products, "t7-restart", 10);
        Throwable stalledAfterRestart = stalled != null ? null
                : Checks.capture(() -> Checks.awaitReadModel(stack, oracle, products, Duration.ofSeconds(90)));
        List<Document> deadLetters = Stores.of(stack).readCollection(DEAD_LETTERS);

        try (var topic = new TopicAudit(stack.bootstrapServers(), TestStack.TOPIC)) {
            topic.refresh();
            figures.orders(oracle);
            for (Poison record : poison) {
                figures.line("poison             %-24s partition %d offset %,d, %,d bytes; dead letters for it: %d",
                        record.kind(), record.partition(), record.offset(), record.bytes(),
                        deadLettersFor(deadLetters, record).size());
            }
            figures.line("later events       applied in %s by the same process (pid %d): %s",
                            stalled == null ? "%.1f s".formatted(applied) : "NOT within 60 s", pid, samePid)
                    .line("after kill -9      restart took %.1f s; later events %s", restart,
                            stalledAfterRestart == null && stalled == null ? "applied" : "NOT applied")
                    .line("reported           metric %s: %s before, %s after; %d document(s) in shop_read.%s",
                            METRIC, metricBefore, metricAfter, deadLetters.size(), DEAD_LETTERS)
                    .line("topic records      %,d in all", topic.records().size())
                    .stock(oracle.expectedStock(), Stores.of(stack).products(products))
                    .print();

            Checks.rethrow(stalled);
            Checks.rethrow(stalledAfterRestart);
            assertThat(samePid).as("the query side kept running (no crash) through the poison").isTrue();
            assertThat(oracle.count(Outcome.ACCEPTED)).isEqualTo(oracle.orders().size());
            Checks.assertQueryApiShows(stack, oracle.expectedStock());
            Checks.assertReadModelEqualsFreshProjection(stack, topic, products);

            // Reported: one dead letter per poison record (also after being read again), and the counter.
            for (Poison record : poison) {
                List<Document> letters = deadLettersFor(deadLetters, record);
                assertThat(letters).as("documents in shop_read.%s for the %s record at partition %d offset %d",
                        DEAD_LETTERS, record.kind(), record.partition(), record.offset()).hasSize(1);
                assertThat(letters.get(0).getString("reason")).as("reason of %s", letters.get(0)).isNotBlank();
            }
            assertThat(metricAfter - metricBefore).as("increase of the counter %s", METRIC)
                    .isGreaterThanOrEqualTo(poison.size());
        }
    }

    private static void placeOrders(LoadClient client, List<String> products, String prefix, int perProduct) {
        for (int i = 0; i < perProduct; i++) {
            for (String product : products) {
                client.placeOrder(new OrderRequest("%s-%s-%d".formatted(prefix, product, i), product, 1 + i % 3));
            }
        }
    }

    /**
     * A record with Axon's headers as the services' converter writes them for a real event (the first of an aggregate
     * that is not a product), then given another payload and type.
     */
    private static ProducerRecord<String, byte[]> envelope(TopicWriter writer, String key, byte[] value, String type,
                                                           String aggregateId) {
        var real = writer.events().record(aggregateId, 0, new OrderPlacedEvent("t7-poison", aggregateId, 1),
                System.currentTimeMillis());
        var headers = new RecordHeaders(real.headers().toArray());
        headers.remove(TopicAudit.MESSAGE_TYPE).add(TopicAudit.MESSAGE_TYPE, utf8(type));
        return new ProducerRecord<>(TestStack.TOPIC, null, key, value, headers);
    }

    private static Poison send(TopicWriter producer, String kind, ProducerRecord<String, byte[]> record) {
        RecordMetadata metadata = producer.send(record);
        return new Poison(kind, metadata.partition(), metadata.offset(), record.value().length);
    }

    private static List<Document> deadLettersFor(List<Document> deadLetters, Poison record) {
        return deadLetters.stream()
                .filter(letter -> letter.get("partition") instanceof Number p && p.intValue() == record.partition()
                        && letter.get("offset") instanceof Number o && o.longValue() == record.offset())
                .collect(Collectors.toList());
    }

    /** The counter's value, 0 while the query side does not have it. */
    private static double metric(TestStack stack) throws IOException {
        ShopClient.Response response = stack.http().admin("GET", stack.queryUrl(), "/actuator/metrics/" + METRIC);
        if (response.status() == 404) {
            return 0;
        }
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json().getList("measurements", Document.class).stream()
                .filter(m -> "COUNT".equals(m.getString("statistic")))
                .mapToDouble(m -> ((Number) m.get("value")).doubleValue()).sum();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
