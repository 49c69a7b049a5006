package io.github.orderstock.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** Kafka and the MongoDB stand-in as child JVMs: they serve, and their data survives a kill -9. */
@ExtendWith(LogsOnFailure.class)
class StackInfraIT {

    // Kept when a test fails, for the children's logs.
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dataDir;

    private static TestStack stack;

    @BeforeAll
    static void startInfrastructure() {
        stack = new TestStack(TestStackOptions.single(null, dataDir, "h2"));
        LogsOnFailure.watch(stack);
        stack.startInfrastructure();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void kafkaRecordsSurviveAKillOfTheBroker() throws Exception {
        String topic = "infra-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        try (var producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "order-1", "placed")).get();
        }
        assertThat(readAll(topic)).containsExactly("order-1=placed");

        stack.kafka().kill();
        stack.kafka().start();

        assertThat(readAll(topic)).containsExactly("order-1=placed");
    }

    @Test
    void mongoDocumentSurvivesAKillAndARestartOfTheStandIn() {
        var document = new Document("_id", "product-1").append("quantity", 9);
        try (MongoClient client = MongoClients.create(mongoUri())) {
            client.getDatabase("infra").getCollection("products").insertOne(document);
        }

        // Straight after the write: the MVStore's own background commit would not have run yet.
        stack.mongoStandIn().kill();
        stack.mongoStandIn().start();

        assertThat(products()).containsExactly(document);

        stack.mongoStandIn().restart();

        assertThat(products()).containsExactly(document);
    }

    @Test
    void childrenRunOnTheirOwnPorts() {
        assertThat(stack.kafka().isAlive()).isTrue();
        assertThat(stack.mongoStandIn().isAlive()).isTrue();
        assertThat(stack.kafka().port()).isEqualTo(stack.options().kafkaPort());
        assertThat(stack.mongoStandIn().logFile()).isEqualTo(dataDir.resolve("logs").resolve("mongo.log"));
    }

    private static List<Document> products() {
        try (MongoClient client = MongoClients.create(mongoUri())) {
            return client.getDatabase("infra").getCollection("products").find().into(new ArrayList<>());
        }
    }

    private static List<String> readAll(String topic) {
        var config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            var partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<String> records = new ArrayList<>();
            Instant deadline = Instant.now().plusSeconds(30);
            while (consumer.position(partition) < end) {
                assertThat(Instant.now()).as("reading %d records of %s", end, topic).isBefore(deadline);
                consumer.poll(Duration.ofSeconds(1)).forEach(r -> records.add(r.key() + "=" + r.value()));
            }
            return records;
        }
    }

    private static Properties producerConfig() {
        var config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }

    private static String bootstrapServers() {
        return stack.bootstrapServers();
    }

    private static String mongoUri() {
        return stack.mongoUri();
    }
}
