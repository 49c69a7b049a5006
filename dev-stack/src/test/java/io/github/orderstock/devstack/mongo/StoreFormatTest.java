package io.github.orderstock.devstack.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bson.Document;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data file this backend did not write is refused at start with what to do, and left as it was. */
class StoreFormatTest {

    @TempDir
    Path dir;

    @Test
    void refusesAFileOfTheOldJavaSerializedFormat() throws Exception {
        Path file = dir.resolve("shop.mv");
        try (var old = new RunningStandIn(new OldDurableH2Backend(file.toString()))) {
            old.client().getDatabase("shop").getCollection("orders").insertOne(new Document("_id", "o-1"));
        }
        byte[] before = Files.readAllBytes(file);

        assertThatThrownBy(() -> new DurableBsonBackend(file))
                .isInstanceOf(UnreadableStoreException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("earlier version of the stand-in")
                .hasMessageContaining("delete the directory " + dir)
                .hasMessageContaining("--data-dir");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(Journal.generations(file)).isEmpty();
    }

    @Test
    void refusesAnotherApplicationsMvStore() {
        Path file = dir.resolve("shop.mv");
        MVStore foreign = MVStore.open(file.toString());
        foreign.openMap("customers").put("c-1", "Ada");
        foreign.close();

        assertThatThrownBy(() -> new DurableBsonBackend(file))
                .isInstanceOf(UnreadableStoreException.class)
                .hasMessageContaining("no mark of this stand-in's format")
                .hasMessageContaining("--data-dir");
    }

    @Test
    void refusesAFileThatIsNoMvStore() throws Exception {
        Path file = dir.resolve("shop.mv");
        Files.writeString(file, "this is not a database ".repeat(1000));

        assertThatThrownBy(() -> new DurableBsonBackend(file))
                .isInstanceOf(UnreadableStoreException.class)
                .hasMessageContaining("not an MVStore file")
                .hasMessageContaining("delete the directory");
    }

    @Test
    void refusesToStartAFreshStoreBesideTheJournalOfADeletedOne() throws Exception {
        Path file = dir.resolve("shop.mv");
        Files.writeString(dir.resolve("shop.mv.journal.7"), "");

        assertThatThrownBy(() -> new DurableBsonBackend(file))
                .isInstanceOf(UnreadableStoreException.class)
                .hasMessageContaining("journal of a store that was there")
                .hasMessageContaining("delete the directory");
    }

    @Test
    void opensItsOwnFileAgain() {
        Path file = dir.resolve("shop.mv");
        try (var standIn = new RunningStandIn(new DurableBsonBackend(file))) {
            standIn.client().getDatabase("shop").getCollection("orders").insertOne(new Document("_id", "o-1"));
        }

        try (var standIn = new RunningStandIn(new DurableBsonBackend(file))) {
            assertThat(standIn.client().getDatabase("shop").getCollection("orders").countDocuments()).isOne();
        }
        assertThat(Journal.generations(file)).isEmpty();
    }
}
