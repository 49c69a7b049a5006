package io.github.orderstock.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import de.bwaldvogel.mongo.MongoServer;
import io.micrometer.core.instrument.MeterRegistry;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.github.orderstock.support.testing.KafkaTestBroker;
import io.github.orderstock.support.testing.ParallelStarts;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.axonframework.extensions.kafka.eventhandling.HeaderUtils;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two command-side instances in one JVM, sharing one MongoDB stand-in and one real Kafka broker, taking orders for
 * the same product in any mix (ADR 11): no oversell, each order id once, no 5xx, and the topic holds every product's
 * stream in order, without a gap, once duplicates are dropped.
 */
class TwoCommandSidesTest {

    private static final String TOPIC = "two-command-sides";
    private static final MongoServer MONGO = new MongoServer(new MemoryBackend());
    private static KafkaTestBroker kafka;
    private static String mongoUri;
    private static final List<ConfigurableApplicationContext> instances = new ArrayList<>();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startBothInstancesTogether() throws Exception {
        mongoUri = MONGO.bindAndGetConnectionString() + "/shop_write";
        kafka = KafkaTestBroker.start();
        // Started at the same moment: both create the topic and both seed product "1".
        instances.addAll(ParallelStarts.together(List.of(() -> start("a"), () -> start("b"))));
    }

    @AfterAll
    static void stopAll() {
        instances.forEach(ConfigurableApplicationContext::close);
        if (kafka != null) {
            kafka.close();
        }
        MONGO.shutdownNow();
    }

    private static ConfigurableApplicationContext start(String name) {
        return ParallelStarts.instance(CommandSideApplication.class, mongoUri, kafka, TOPIC, "command-side-" + name,
                "--app.kafka.topic-partitions=2", "--app.products.snapshot-every=50");
    }

    @Test
    void seedsProductOneOnceWhenBothInstancesStartTogether() {
        assertThat(events().countDocuments(Filters.eq("aggregateIdentifier", "1"))).isEqualTo(1);
        assertThat(events().find(Filters.eq("_id", "1/0")).first()).isNotNull();
    }

    @Test
    void neverOversellsNorPlacesAnOrderIdTwiceNorAnswers5xxWhenBothTakeOrdersForOneProduct() throws Exception {
        int stock = 300;
        int orders = 500;
        assertThat(post(0, "/products", """
                {"productId":"hot","name":"Hot","quantity":%d}""".formatted(stock)).statusCode()).isEqualTo(201);
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        Map<String, Integer> accepted = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        List<Future<?>> sent = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < orders; i++) {
            String orderId = "hot-" + i;
            // Every order id twice, at the same time, to either instance.
            for (int copy = 0; copy < 2; copy++) {
                sent.add(clients.submit(() -> {
                    HttpResponse<String> answer = post(ThreadLocalRandom.current().nextInt(2), "/orders", """
                            {"orderId":"%s","productId":"hot","quantity":1}""".formatted(orderId));
                    statuses.merge(answer.statusCode(), 1, Integer::sum);
                    if (answer.statusCode() == 201) {
                        accepted.merge(orderId, 1, Integer::sum);
                    }
                    return null;
                }));
            }
        }
        for (Future<?> future : sent) {
            future.get();
        }
        clients.shutdown();
        System.out.printf("Two instances, %d POSTs for one product in %d ms: %s; conflicts retried %s%n",
                sent.size(), Duration.ofNanos(System.nanoTime() - started).toMillis(), statuses,
                instances.stream().map(instance -> instance.getBean(MeterRegistry.class)
                        .counter("orderstock.product.conflicts", "outcome", "retried").count()).toList());

        assertThat(statuses.keySet()).allMatch(status -> status < 500);
        List<Document> placed = events().find(Filters.and(Filters.eq("aggregateIdentifier", "hot"),
                Filters.regex("payloadType", "OrderPlacedEvent$"))).into(new ArrayList<>());
        Map<String, Long> placedPerOrder = new HashMap<>();
        placed.forEach(event -> placedPerOrder.merge(orderIdOf(event), 1L, Long::sum));
        assertThat(placedPerOrder.values()).allMatch(count -> count == 1);
        assertThat(placed).hasSize(stock);
        assertThat(placedPerOrder.keySet()).isEqualTo(accepted.keySet());
        assertThat(statuses.get(409)).isEqualTo(2 * orders - statuses.get(201));

        Map<String, Long> lastSequence = new HashMap<>();
        for (Document event : events().find()) {
            lastSequence.merge(event.getString("aggregateIdentifier"), event.getLong("sequenceNumber"), Math::max);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(streamsOnTopicWithoutGaps()).isEqualTo(lastSequence));
    }

    /** Per product, the highest sequence number reached on the topic in order; fails on a gap. */
    private static Map<String, Long> streamsOnTopicWithoutGaps() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        Map<String, Long> reached = new HashMap<>();
        int duplicates = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                    .map(info -> new TopicPartition(TOPIC, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    long sequence = HeaderUtils.valueAsLong(record.headers(), "axon-message-aggregate-seq");
                    long before = reached.getOrDefault(record.key(), -1L);
                    assertThat(sequence).as("event of '%s' at offset %d", record.key(), record.offset())
                            .isLessThanOrEqualTo(before + 1);
                    if (sequence == before + 1) {
                        reached.put(record.key(), sequence);
                    } else {
                        duplicates++;
                    }
                }
            }
        }
        System.out.printf("Topic: %d product streams without gaps, %d duplicates%n", reached.size(), duplicates);
        return reached;
    }

    private static MongoCollection<Document> events() {
        return client().getDatabase("shop_write").getCollection("domainevents");
    }

    private static MongoClient client;

    private static synchronized MongoClient client() {
        if (client == null) {
            client = MongoClients.create(mongoUri);
        }
        return client;
    }

    private static String orderIdOf(Document event) {
        Object payload = event.get("serializedPayload");
        String json = payload instanceof String text ? text : new String(((org.bson.types.Binary) payload).getData());
        return json.replaceAll(".*\"orderId\":\"([^\"]+)\".*", "$1");
    }

    private static HttpResponse<String> post(int instance, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base(instance) + path))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base(int instance) {
        int port = ((WebServerApplicationContext) instances.get(instance)).getWebServer().getPort();
        return "http://127.0.0.1:" + port;
    }
}
