package io.github.orderstock.devstack.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a crash leaves: the store file as of its last checkpoint plus the journal. With checkpoints held off, the files
 * copied from a running stand-in are exactly that; opening the copy must bring back every acknowledged change.
 */
class JournalReplayTest {

    private static final StoreSettings NO_CHECKPOINTS = new StoreSettings(16, 16 * 1024, 0, 2, 3_600_000);

    @TempDir
    Path running;

    @TempDir
    Path crashed;

    @Test
    void replaysEveryAcknowledgedChangeSinceTheLastCheckpoint() throws Exception {
        try (var standIn = new RunningStandIn(new DurableBsonBackend(BsonStore.open(running.resolve("shop.mv"),
                NO_CHECKPOINTS)))) {
            MongoDatabase shop = standIn.client().getDatabase("shop");
            shop.getCollection("orders").insertMany(List.of(new Document("_id", "a").append("n", 1),
                    new Document("_id", "b").append("n", 2), new Document("_id", "c").append("n", 3)));
            shop.getCollection("orders").updateOne(Filters.eq("_id", "a"), Updates.inc("n", 10));
            shop.getCollection("orders").deleteOne(Filters.eq("_id", "b"));
            shop.getCollection("tokens").createIndex(Indexes.ascending("processorName", "segment"),
                    new IndexOptions().unique(true));
            shop.getCollection("tokens").insertOne(new Document("_id", "t").append("processorName", "p")
                    .append("segment", 0));
            shop.getCollection("dropped").insertOne(new Document("_id", "gone"));
            shop.getCollection("dropped").drop();
            shop.getCollection("old").insertOne(new Document("_id", "moved"));
            shop.getCollection("old").renameCollection(new MongoNamespace("shop", "renamed"));

            crashCopy();
        }

        try (var standIn = new RunningStandIn(new DurableBsonBackend(crashed.resolve("shop.mv")))) {
            MongoDatabase shop = standIn.client().getDatabase("shop");
            assertThat(shop.getCollection("orders").find().into(new ArrayList<>())).containsExactly(
                    new Document("_id", "a").append("n", 11), new Document("_id", "c").append("n", 3));
            assertThat(shop.listCollectionNames().into(new ArrayList<>()))
                    .containsExactlyInAnyOrder("orders", "tokens", "renamed");
            assertThat(shop.getCollection("renamed").find().first()).isEqualTo(new Document("_id", "moved"));
            assertThat(shop.getCollection("tokens").listIndexes().into(new ArrayList<>())).hasSize(2);
            assertThat(shop.getCollection("tokens").find(Filters.and(Filters.eq("processorName", "p"),
                    Filters.eq("segment", 0))).first()).isNotNull();
        }
        assertThat(Journal.generations(crashed.resolve("shop.mv"))).isEmpty();
    }

    @Test
    void dropsAFrameTornByTheCrashAndKeepsTheOnesBefore() throws Exception {
        try (var standIn = new RunningStandIn(new DurableBsonBackend(BsonStore.open(running.resolve("shop.mv"),
                NO_CHECKPOINTS)))) {
            var orders = standIn.client().getDatabase("shop").getCollection("orders");
            orders.insertOne(new Document("_id", "first"));
            orders.insertOne(new Document("_id", "second"));

            crashCopy();
        }
        Path journal = onlyJournal(crashed);
        try (var file = new RandomAccessFile(journal.toFile(), "rw")) {
            file.setLength(file.length() - 3);
        }

        try (var standIn = new RunningStandIn(new DurableBsonBackend(crashed.resolve("shop.mv")))) {
            var orders = standIn.client().getDatabase("shop").getCollection("orders");
            assertThat(orders.find().into(new ArrayList<>())).containsExactly(new Document("_id", "first"));
            orders.insertOne(new Document("_id", "third"));
        }
        try (var standIn = new RunningStandIn(new DurableBsonBackend(crashed.resolve("shop.mv")))) {
            assertThat(standIn.client().getDatabase("shop").getCollection("orders").countDocuments()).isEqualTo(2);
        }
    }

    @Test
    void replaysOntoTheLastCheckpointOnly() throws Exception {
        BsonStore store = BsonStore.open(running.resolve("shop.mv"), NO_CHECKPOINTS);
        try (var standIn = new RunningStandIn(new DurableBsonBackend(store))) {
            var orders = standIn.client().getDatabase("shop").getCollection("orders");
            orders.insertOne(new Document("_id", "o").append("n", 1));
            orders.updateOne(Filters.eq("_id", "o"), Updates.inc("n", 1));
            store.checkpoint();
            orders.updateOne(Filters.eq("_id", "o"), Updates.inc("n", 1));

            crashCopy();
        }

        try (var standIn = new RunningStandIn(new DurableBsonBackend(crashed.resolve("shop.mv")))) {
            assertThat(standIn.client().getDatabase("shop").getCollection("orders").find().first())
                    .isEqualTo(new Document("_id", "o").append("n", 3));
        }
    }

    /** Copies the store and its journal as a kill would leave them: no checkpoint runs meanwhile. */
    private void crashCopy() throws IOException {
        try (var files = Files.list(running)) {
            for (Path file : files.toList()) {
                Files.copy(file, crashed.resolve(file.getFileName()));
            }
        }
    }

    private static Path onlyJournal(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            List<Path> journals = files.filter(file -> file.getFileName().toString().contains(".journal.")).toList();
            assertThat(journals).hasSize(1);
            return journals.get(0);
        }
    }
}
