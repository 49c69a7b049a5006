package io.github.orderstock.query.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.github.orderstock.query.replay.ReplayStatus;
import io.github.orderstock.query.stock.ReadModel;
import io.github.orderstock.query.stock.StockLevel;
import io.github.orderstock.query.stock.StockLevelsAccess;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LiveFeedTest {

    /** A client that records what it was sent; it fails every send once {@code broken} is set. */
    private static final class RecordingClient implements LiveFeed.Client {
        final boolean admin;
        final List<Object[]> sent = new CopyOnWriteArrayList<>();
        volatile boolean broken;
        volatile boolean closed;

        RecordingClient(boolean admin) {
            this.admin = admin;
        }

        @Override
        public boolean admin() {
            return admin;
        }

        @Override
        public void send(String event, Object data) throws IOException {
            if (broken) {
                throw new IOException("client went away");
            }
            sent.add(new Object[]{event, data});
        }

        @Override
        public void close() {
            closed = true;
        }

        List<Object> of(String event) {
            return sent.stream().filter(e -> e[0].equals(event)).map(e -> e[1]).toList();
        }
    }

    private static final ReplayStatus RUNNING = new ReplayStatus(ReplayStatus.State.RUNNING,
            Instant.parse("2026-11-30T12:00:00Z"), null, 100, 40);

    private MongoServer server;
    private MongoClient mongo;
    private MongoDatabase database;
    private LiveFeed feed;

    @BeforeEach
    void setUp() {
        server = new MongoServer(new MemoryBackend());
        mongo = MongoClients.create(server.bindAndGetConnectionString());
        database = mongo.getDatabase("shop_read");
        for (int i = 1; i <= 5; i++) {
            database.getCollection("products").insertOne(product("p" + i, 10, 0));
        }
        WatchSampler sampler = mock(WatchSampler.class);
        when(sampler.latest()).thenReturn(new WatchStatus(Instant.now(), true, true, List.of(), 0, 0, 0, List.of(),
                RUNNING));
        var settings = new WatchSettings(Duration.ofMillis(200), Duration.ofMinutes(1), 2, 3, Duration.ofMillis(10),
                500, Duration.ofMinutes(1));
        feed = new LiveFeed(StockLevelsAccess.of(ReadModel.open(database, Clock.systemUTC())), sampler, settings);
        feed.start();
    }

    @AfterEach
    void tearDown() {
        feed.stop();
        mongo.close();
        server.shutdownNow();
    }

    @Test
    void givesANewClientTheFirstProductsByIdThenPushesEachChangedProduct() {
        var client = new RecordingClient(false);
        assertThat(feed.register(client)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> !client.of("snapshot").isEmpty());
        var snapshot = (LiveFeed.Snapshot) client.of("snapshot").get(0);
        assertThat(snapshot.products()).extracting(StockLevel::productId).containsExactly("p1", "p2", "p3");

        database.getCollection("products").replaceOne(new Document("_id", "p5"), product("p5", 7, 3));
        feed.changed(Set.of("p5"));

        await().atMost(Duration.ofSeconds(5)).until(() -> !client.of("stock").isEmpty());
        assertThat(((LiveFeed.Stock) client.of("stock").get(0)).products())
                .containsExactly(new StockLevel("p5", "Product p5", 7, 3));
    }

    @Test
    void sendsTheReplayOnlyToTheAdminAndTheStatusAsAHeartbeat() {
        var visitor = new RecordingClient(false);
        var admin = new RecordingClient(true);
        feed.register(visitor);
        feed.register(admin);

        await().atMost(Duration.ofSeconds(5)).until(() -> visitor.of("status").size() >= 2
                && admin.of("status").size() >= 2);
        assertThat(visitor.of("status")).allSatisfy(status -> assertThat(((WatchStatus) status).replay()).isNull());
        assertThat(admin.of("status")).allSatisfy(status -> assertThat(((WatchStatus) status).replay())
                .isEqualTo(RUNNING));
        assertThat(((LiveFeed.Snapshot) visitor.of("snapshot").get(0)).status().replay()).isNull();
    }

    @Test
    void refusesClientsBeyondTheLimitAndFreesThePlaceOfOneThatWentAway() {
        var first = new RecordingClient(false);
        var second = new RecordingClient(false);
        assertThat(feed.register(first)).isTrue();
        assertThat(feed.register(second)).isTrue();
        assertThat(feed.register(new RecordingClient(false))).isFalse();

        second.broken = true;
        await().atMost(Duration.ofSeconds(5)).until(() -> feed.clients() == 1);
        assertThat(second.closed).isTrue();
        assertThat(feed.register(new RecordingClient(false))).isTrue();
    }

    private static Document product(String id, int quantity, long lastSequence) {
        return new Document("_id", id).append("productId", id).append("name", "Product " + id)
                .append("quantity", quantity).append("lastSequence", lastSequence);
    }
}
