package io.github.orderstock.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.github.orderstock.events.OrderPlacedEvent;
import io.github.orderstock.events.ProductAddedEvent;
import io.github.orderstock.query.replay.ReplayStatus;
import io.github.orderstock.query.replay.Replays;
import io.github.orderstock.query.stock.ProductStockProjection;
import io.github.orderstock.support.testing.KafkaTestBroker;
import io.github.orderstock.support.testing.ParallelStarts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.extensions.kafka.eventhandling.DefaultKafkaMessageConverter;
import org.axonframework.serialization.json.JacksonSerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two query-side instances in one JVM sharing one MongoDB stand-in (read model and token store) and one real Kafka
 * broker (ADR 11): the projection's two segments are split between them; a replay asked of one rebuilds the whole
 * read model once and both tell the same status; when one dies without a word, the other takes its segment over
 * within the claim timeout and the stock stays exact.
 */
class TwoQuerySidesTest {

    private static final String TOPIC = "two-query-sides";
    private static final int PRODUCTS = 8;
    private static final int INITIAL = 1_000;
    private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(5);
    private static final MongoServer MONGO = new MongoServer(new MemoryBackend());
    private static KafkaTestBroker kafka;
    private static String mongoUri;
    private static MongoClient mongo;
    private static KafkaProducer<String, byte[]> producer;
    private static final DefaultKafkaMessageConverter converter = DefaultKafkaMessageConverter.builder()
            .serializer(JacksonSerializer.defaultSerializer()).build();
    private static final Map<String, Long> nextSequence = new HashMap<>();
    private static final Map<String, Integer> expectedStock = new HashMap<>();
    private static int expectedOrders;
    private static final List<ConfigurableApplicationContext> instances = new ArrayList<>();

    @BeforeAll
    static void startBrokerAndStore() throws Exception {
        mongoUri = MONGO.bindAndGetConnectionString() + "/shop_read";
        mongo = MongoClients.create(mongoUri);
        kafka = KafkaTestBroker.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1)
                    .configs(Map.of("message.timestamp.type", "LogAppendTime")))).all().get();
        }
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stopAll() {
        instances.forEach(instance -> {
            try {
                instance.close();
            } catch (RuntimeException e) {
                // the instance whose MongoDB client was closed under it
            }
        });
        if (producer != null) {
            producer.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        mongo.close();
        MONGO.shutdownNow();
    }

    @Test
    void twoInstancesShareTheSegmentsReplayOnceAndTakeOverFromADeadOne() throws Exception {
        for (int p = 0; p < PRODUCTS; p++) {
            add("p" + p);
            order("p" + p, 50);
        }
        instances.addAll(ParallelStarts.together(List.of(() -> start("a"), () -> start("b"))));

        // Each instance applies a share of the products.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(segmentsOf(0)).hasSize(1);
            assertThat(segmentsOf(1)).hasSize(1);
        });
        for (int p = 0; p < PRODUCTS; p++) {
            order("p" + p, 20);
        }
        awaitExactReadModel();

        // A replay asked of one instance while the other holds a segment: rebuilt once, the same status on both.
        ReplayStatus started = replays(0).start();
        assertThat(started.state()).isIn(ReplayStatus.State.RUNNING, ReplayStatus.State.COMPLETED);
        for (int p = 0; p < PRODUCTS; p++) {
            order("p" + p, 10);
        }
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(replays(1).status().state()).isEqualTo(ReplayStatus.State.COMPLETED));
        assertThat(replays(0).status()).isEqualTo(replays(1).status());
        assertThat(replays(1).status().startedAt()).isEqualTo(started.startedAt());
        awaitExactReadModel();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(segmentsOf(0)).hasSize(1);
            assertThat(segmentsOf(1)).hasSize(1);
        });

        // Instance a dies without a word: its claims stay until they time out, then b takes its segment.
        long died = System.nanoTime();
        instances.get(0).getBean(MongoClient.class).close();
        await().atMost(CLAIM_TIMEOUT.plusSeconds(15)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(segmentsOf(1)).hasSize(2));
        Duration takeover = Duration.ofNanos(System.nanoTime() - died);
        System.out.printf("Instance b took over the dead instance's segment after %d ms (claim timeout %d s)%n",
                takeover.toMillis(), CLAIM_TIMEOUT.toSeconds());
        assertThat(takeover).isLessThan(CLAIM_TIMEOUT.plusSeconds(10));
        for (int p = 0; p < PRODUCTS; p++) {
            order("p" + p, 15);
        }
        awaitExactReadModel();
    }

    private static ConfigurableApplicationContext start(String name) {
        return ParallelStarts.instance(QuerySideApplication.class, mongoUri, kafka, TOPIC, "query-side-" + name,
                "--app.projection.instance-id=" + name,
                "--app.projection.claim-timeout=" + CLAIM_TIMEOUT.toSeconds() + "s",
                "--axon.eventhandling.processors.product-stock.initial-segment-count=2");
    }

    private static void awaitExactReadModel() {
        MongoDatabase database = mongo.getDatabase("shop_read");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Map<String, Integer> stock = new HashMap<>();
            for (Document product : database.getCollection("products").find()) {
                stock.put(product.getString("_id"), product.getInteger("quantity"));
            }
            assertThat(stock).isEqualTo(expectedStock);
            assertThat(database.getCollection("orders").countDocuments()).isEqualTo(expectedOrders);
        });
    }

    private static List<Integer> segmentsOf(int instance) {
        return instances.get(instance).getBean(EventProcessingConfiguration.class)
                .eventProcessor(ProductStockProjection.PROCESSING_GROUP, TrackingEventProcessor.class).orElseThrow()
                .processingStatus().values().stream()
                .filter(status -> !status.isErrorState())
                .map(status -> status.getSegment().getSegmentId()).toList();
    }

    private static Replays replays(int instance) {
        return instances.get(instance).getBean(Replays.class);
    }

    private static void add(String productId) {
        send(productId, new ProductAddedEvent(productId, "Product " + productId, INITIAL));
        expectedStock.put(productId, INITIAL);
    }

    private static void order(String productId, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            String orderId = productId + "-" + nextSequence.get(productId);
            send(productId, new OrderPlacedEvent(orderId, productId, 1));
            // Every tenth event twice, as a publisher that restarted would send it.
            if (i % 10 == 0) {
                long sequence = nextSequence.get(productId) - 1;
                producer.send(converter.createKafkaMessage(new GenericDomainEventMessage<>("Product", productId,
                        sequence, new OrderPlacedEvent(orderId, productId, 1)), TOPIC));
            }
            expectedStock.merge(productId, -1, Integer::sum);
            expectedOrders++;
        }
        producer.flush();
    }

    private static void send(String productId, Object event) {
        long sequence = nextSequence.merge(productId, 1L, Long::sum) - 1;
        producer.send(converter.createKafkaMessage(new GenericDomainEventMessage<>("Product", productId, sequence,
                event), TOPIC));
    }
}
