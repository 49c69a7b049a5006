package io.github.orderstock.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoNamespace;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.RenameCollectionOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stand-in's H2 backend through the real driver, closed and opened again on its file as a restart does. */
class CommittingH2BackendTest {

    @TempDir
    Path dir;

    @Test
    void aCollectionRenamedOverAnotherKeepsItsDocumentsAndIndexAcrossARestart() {
        Path file = dir.resolve(MongoStandIn.H2_FILE);
        try (var standIn = new RunningStandIn(open(file))) {
            var shop = standIn.client().getDatabase("shop_read");
            shop.getCollection("products").insertOne(new Document("_id", "1").append("quantity", 10));
            shop.getCollection("products_rebuild").insertOne(new Document("_id", "1").append("quantity", 9));
            // As the query side switches a replay's rebuilt collection in (ADR 10).
            shop.getCollection("products_rebuild").renameCollection(new MongoNamespace("shop_read", "products"),
                    new RenameCollectionOptions().dropTarget(true));
            shop.getCollection("products").insertOne(new Document("_id", "2").append("quantity", 5));
        }

        try (var standIn = new RunningStandIn(open(file))) {
            var shop = standIn.client().getDatabase("shop_read");
            assertThat(shop.listCollectionNames().into(new ArrayList<>())).containsExactly("products");
            assertThat(shop.getCollection("products").find().into(new ArrayList<>())).containsExactlyInAnyOrder(
                    new Document("_id", "1").append("quantity", 9), new Document("_id", "2").append("quantity", 5));
            assertThat(shop.getCollection("products").find(Filters.eq("_id", "1")).first())
                    .isEqualTo(new Document("_id", "1").append("quantity", 9));
            shop.getCollection("products").insertOne(new Document("_id", "3").append("quantity", 1));
            assertThat(shop.getCollection("products").countDocuments()).isEqualTo(3);
        }
    }

    @Test
    void namesTheMapsOfARenamedCollection() {
        assertThat(CommittingH2Backend.RenamingH2Database.renamed("databases.db.a_rebuild", "db.a_rebuild", "db.a"))
                .isEqualTo("databases.db.a");
        assertThat(CommittingH2Backend.RenamingH2Database.renamed("meta.db.a_rebuild", "db.a_rebuild", "db.a"))
                .isEqualTo("meta.db.a");
        assertThat(CommittingH2Backend.RenamingH2Database.renamed("db.a_rebuild._index__id_", "db.a_rebuild", "db.a"))
                .isEqualTo("db.a._index__id_");
        assertThat(CommittingH2Backend.RenamingH2Database.renamed("databases.db.a_rebuild2", "db.a_rebuild", "db.a"))
                .isNull();
        assertThat(CommittingH2Backend.RenamingH2Database.renamed("databases.db.b", "db.a_rebuild", "db.a")).isNull();
    }

    private static CommittingH2Backend open(Path file) {
        return CommittingH2Backend.open(file, failure -> {
            throw new AssertionError("cannot write " + file, failure);
        });
    }
}
