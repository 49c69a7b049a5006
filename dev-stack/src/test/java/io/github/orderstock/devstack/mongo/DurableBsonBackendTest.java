package io.github.orderstock.devstack.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndReplaceOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bson.BsonBinarySubType;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.MaxKey;
import org.bson.types.MinKey;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable backend through the real driver: every access pattern of the services, and a restart. */
class DurableBsonBackendTest {

    @TempDir
    Path dir;

    private RunningStandIn standIn;
    private MongoDatabase database;

    @BeforeEach
    void start() {
        open();
    }

    @AfterEach
    void stop() {
        standIn.close();
    }

    private void open() {
        standIn = new RunningStandIn(new DurableBsonBackend(dir.resolve("shop.mv")));
        database = standIn.client().getDatabase("shop");
    }

    private void reopen() {
        standIn.close();
        open();
    }

    private MongoCollection<Document> orders() {
        return database.getCollection("orders");
    }

    @Test
    void everyBsonTypeRoundTrips() {
        var document = new Document("_id", "every-type")
                .append("string", "text ü €")
                .append("int", 7)
                .append("long", 1L << 40)
                .append("double", 2.5)
                .append("decimal", Decimal128.parse("12.345"))
                .append("boolean", true)
                .append("date", new Date(1_700_000_000_123L))
                .append("objectId", new ObjectId())
                .append("binary", new Binary(new byte[] {1, 2, 3}))
                .append("uuid", new Binary(BsonBinarySubType.UUID_STANDARD, new byte[16]))
                .append("null", null)
                .append("embedded", new Document("a", 1).append("b", List.of("x", new Document("c", 2.0))))
                .append("array", List.of(1, "two", 3.0))
                .append("regex", Pattern.compile("^a.*"))
                .append("timestamp", new BsonTimestamp(1_700_000_000, 3))
                .append("minKey", new MinKey())
                .append("maxKey", new MaxKey());
        orders().insertOne(document);

        reopen();

        Document found = orders().find(Filters.eq("_id", "every-type")).first();
        assertThat(found).isNotNull();
        assertThat(found.toJson()).isEqualTo(document.toJson());
    }

    @Test
    void findsByIdOfEveryKeyType() {
        var objectId = new ObjectId();
        var embedded = new Document("product", "p-1").append("sequence", 3);
        orders().insertMany(List.of(new Document("_id", objectId), new Document("_id", 42),
                new Document("_id", embedded), new Document("_id", 3.5), new Document("_id", "text")));

        assertThat(orders().find(Filters.eq("_id", objectId)).first()).containsEntry("_id", objectId);
        assertThat(orders().find(Filters.eq("_id", 42L)).first()).containsEntry("_id", 42);
        assertThat(orders().find(Filters.eq("_id", 42.0)).first()).containsEntry("_id", 42);
        assertThat(orders().find(Filters.eq("_id", embedded)).first()).containsEntry("_id", embedded);
        assertThat(orders().find(Filters.eq("_id", new Document("sequence", 3).append("product", "p-1"))).first())
                .isNull();
        assertThat(orders().find(Filters.eq("_id", 3.5)).first()).isNotNull();
        assertThat(orders().find(Filters.eq("_id", "text")).first()).isNotNull();
        assertThat(orders().countDocuments()).isEqualTo(5);
    }

    @Test
    void insertOneOfAnExistingIdFailsWithMongoDbsError() {
        orders().insertOne(new Document("_id", "o-1").append("quantity", 1));

        assertThatThrownBy(() -> orders().insertOne(new Document("_id", "o-1").append("quantity", 2)))
                .isInstanceOfSatisfying(MongoWriteException.class, e -> {
                    assertThat(e.getError().getCategory()).isEqualTo(ErrorCategory.DUPLICATE_KEY);
                    assertThat(e.getError().getCode()).isEqualTo(11000);
                    assertThat(e.getError().getMessage()).isEqualTo(
                            "E11000 duplicate key error collection: shop.orders index: _id_ dup key: { _id: \"o-1\" }");
                });
        assertThat(orders().find(Filters.eq("_id", "o-1")).first()).containsEntry("quantity", 1);
    }

    @Test
    void numbersThatAreEqualAreOneId() {
        orders().insertOne(new Document("_id", 1));

        assertThatThrownBy(() -> orders().insertOne(new Document("_id", 1L)))
                .isInstanceOfSatisfying(MongoWriteException.class,
                        e -> assertThat(e.getError().getMessage()).endsWith("dup key: { _id: 1 }"));
        assertThatThrownBy(() -> orders().insertOne(new Document("_id", 1.0)))
                .isInstanceOf(MongoWriteException.class);
    }

    @Test
    void orderedInsertManyStopsAtTheFirstDuplicate() {
        orders().insertOne(new Document("_id", "b"));

        assertThatThrownBy(() -> orders().insertMany(docs("a", "b", "c", "b")))
                .isInstanceOfSatisfying(MongoBulkWriteException.class, e -> {
                    assertThat(e.getWriteErrors()).extracting(BulkWriteError::getIndex).containsExactly(1);
                    assertThat(e.getWriteErrors().get(0).getCode()).isEqualTo(11000);
                    assertThat(e.getWriteErrors().get(0).getMessage()).isEqualTo(
                            "E11000 duplicate key error collection: shop.orders index: _id_ dup key: { _id: \"b\" }");
                    assertThat(e.getWriteResult().getInsertedCount()).isEqualTo(1);
                });
        assertThat(ids(orders())).containsExactly("a", "b");
    }

    @Test
    void unorderedInsertManyReportsEveryDuplicateAndInsertsTheRest() {
        orders().insertOne(new Document("_id", "b"));

        assertThatThrownBy(() -> orders().insertMany(docs("a", "b", "c", "a", "d"),
                new InsertManyOptions().ordered(false)))
                .isInstanceOfSatisfying(MongoBulkWriteException.class, e -> {
                    assertThat(e.getWriteErrors()).extracting(BulkWriteError::getIndex).containsExactly(1, 3);
                    assertThat(e.getWriteErrors()).extracting(BulkWriteError::getCode).containsOnly(11000);
                    assertThat(e.getWriteErrors().get(1).getMessage()).endsWith("dup key: { _id: \"a\" }");
                    assertThat(e.getWriteResult().getInsertedCount()).isEqualTo(3);
                });
        assertThat(ids(orders())).containsExactly("a", "b", "c", "d");
    }

    @Test
    void findsByInInIdOrderSkippingMissingIds() {
        orders().insertMany(docs("c", "a", "b", "d"));

        List<Document> found = orders().find(Filters.in("_id", List.of("d", "x", "a", "b", "a")))
                .into(new ArrayList<>());

        assertThat(found).extracting(document -> document.get("_id")).containsExactly("a", "b", "d");
    }

    @Test
    void idFilterWithOtherFieldsMatchesTheRestToo() {
        orders().insertOne(new Document("_id", "o-1").append("productId", "1").append("quantity", 2));

        assertThat(orders().find(new Document("_id", "o-1").append("productId", "1").append("quantity", 2)).first())
                .isNotNull();
        assertThat(orders().find(new Document("_id", "o-1").append("productId", "1").append("quantity", 3)).first())
                .isNull();
        assertThat(orders().find(Filters.and(Filters.in("_id", List.of("o-1", "o-2")), Filters.gt("quantity", 1)))
                .first()).isNotNull();
        assertThat(orders().deleteOne(new Document("_id", "o-1").append("productId", "2")).getDeletedCount())
                .isZero();
        assertThat(orders().deleteOne(new Document("_id", "o-1").append("productId", "1")).getDeletedCount())
                .isOne();
        assertThat(orders().countDocuments()).isZero();
    }

    @Test
    void upsertsByIdWithEveryOperatorTheServicesUse() {
        var filter = Filters.eq("_id", "p-1");
        var update = Updates.combine(Updates.inc("stock", 5), Updates.set("name", "Pen"),
                Updates.max("lastSequence", 3), Updates.setOnInsert("createdBy", "test"));

        var inserted = orders().updateOne(filter, update, new UpdateOptions().upsert(true));
        var updated = orders().updateOne(filter, Updates.combine(Updates.inc("stock", -2),
                Updates.max("lastSequence", 2), Updates.setOnInsert("createdBy", "other")),
                new UpdateOptions().upsert(true));

        assertThat(inserted.getUpsertedId()).isNotNull();
        assertThat(updated.getMatchedCount()).isOne();
        assertThat(updated.getModifiedCount()).isOne();
        assertThat(orders().find(filter).first()).isEqualTo(new Document("_id", "p-1").append("stock", 3)
                .append("name", "Pen").append("lastSequence", 3).append("createdBy", "test"));
    }

    @Test
    void bulkWriteOfUpdatesByIdUpsertsAndUpdates() {
        orders().insertMany(List.of(new Document("_id", "p-1").append("stock", 10)));
        List<UpdateOneModel<Document>> updates = new ArrayList<>();
        for (String id : List.of("p-1", "p-2", "p-3", "p-1")) {
            updates.add(new UpdateOneModel<>(Filters.eq("_id", id), Updates.inc("stock", 1),
                    new UpdateOptions().upsert(true)));
        }

        var result = orders().bulkWrite(updates, new BulkWriteOptions().ordered(false));

        assertThat(result.getUpserts()).hasSize(2);
        assertThat(result.getModifiedCount()).isEqualTo(2);
        assertThat(orders().find(Filters.eq("_id", "p-1")).first()).containsEntry("stock", 12);
        assertThat(orders().find(Filters.in("_id", List.of("p-2", "p-3"))).into(new ArrayList<>()))
                .extracting(document -> document.get("stock")).containsExactly(1, 1);
    }

    @Test
    void findOneAndReplaceByIdUpserts() {
        var upsert = new FindOneAndReplaceOptions().upsert(true).returnDocument(ReturnDocument.AFTER);

        Document created = orders().findOneAndReplace(Filters.eq("_id", "snap-1"),
                new Document("_id", "snap-1").append("sequence", 1), upsert);
        Document replaced = orders().findOneAndReplace(Filters.eq("_id", "snap-1"),
                new Document("_id", "snap-1").append("sequence", 2), upsert);

        assertThat(created).containsEntry("sequence", 1);
        assertThat(replaced).containsEntry("sequence", 2);
        assertThat(orders().countDocuments()).isOne();
    }

    @Test
    void droppedCollectionCanBeUsedAgain() {
        orders().createIndex(Indexes.ascending("number"), new IndexOptions().unique(true));
        orders().insertMany(List.of(new Document("_id", "a").append("number", 1),
                new Document("_id", "b").append("number", 2)));

        orders().drop();
        orders().insertOne(new Document("_id", "a").append("number", 2));

        assertThat(orders().find().into(new ArrayList<>()))
                .containsExactly(new Document("_id", "a").append("number", 2));
        assertThat(database.listCollectionNames().into(new ArrayList<>())).containsExactly("orders");
        reopen();
        assertThat(orders().find().into(new ArrayList<>()))
                .containsExactly(new Document("_id", "a").append("number", 2));
        orders().insertOne(new Document("_id", "b").append("number", 2));
        assertThat(orders().countDocuments()).isEqualTo(2);
    }

    @Test
    void compoundUniqueIndexRejectsDuplicatesAndServesTheTokenStoresQueries() {
        MongoCollection<Document> tokens = database.getCollection("trackingtokens");
        tokens.createIndex(Indexes.ascending("processorName", "segment"), new IndexOptions().unique(true));
        tokens.insertMany(List.of(token("projection", 0, "node-a"), token("projection", 1, null)));

        assertThatThrownBy(() -> tokens.insertOne(token("projection", 0, "node-b").append("_id", "another")))
                .isInstanceOfSatisfying(MongoWriteException.class, e -> assertThat(e.getError().getMessage())
                        .isEqualTo("E11000 duplicate key error collection: shop.trackingtokens index:"
                                + " processorName_1_segment_1 dup key: { processorName: \"projection\", segment: 0 }"));

        Document claimed = tokens.findOneAndUpdate(Filters.and(Filters.eq("processorName", "projection"),
                        Filters.eq("segment", 1), Filters.or(Filters.eq("owner", "node-b"), Filters.eq("owner", null))),
                Updates.set("owner", "node-b"), new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        Document notClaimed = tokens.findOneAndUpdate(Filters.and(Filters.eq("processorName", "projection"),
                        Filters.eq("segment", 0), Filters.or(Filters.eq("owner", "node-b"), Filters.eq("owner", null))),
                Updates.set("owner", "node-b"));

        assertThat(claimed).containsEntry("owner", "node-b");
        assertThat(notClaimed).isNull();
        reopen();
        MongoCollection<Document> reopened = database.getCollection("trackingtokens");
        assertThatThrownBy(() -> reopened.insertOne(token("projection", 1, "node-c").append("_id", "another")))
                .isInstanceOf(MongoWriteException.class);
        assertThat(reopened.find(Filters.eq("segment", 1)).first()).containsEntry("owner", "node-b");
    }

    @Test
    void updateThatMovesAUniqueKeyFreesTheOldOne() {
        MongoCollection<Document> tokens = database.getCollection("trackingtokens");
        tokens.createIndex(Indexes.ascending("processorName", "segment"), new IndexOptions().unique(true));
        tokens.insertOne(token("projection", 0, null));

        tokens.updateOne(Filters.eq("_id", "projection/0"), Updates.set("segment", 5));
        tokens.insertOne(new Document("_id", "other").append("processorName", "projection").append("segment", 0));

        assertThatThrownBy(() -> tokens.insertOne(new Document("_id", "third").append("processorName", "projection")
                .append("segment", 5))).isInstanceOf(MongoWriteException.class);
        tokens.deleteOne(Filters.eq("_id", "projection/0"));
        tokens.insertOne(new Document("_id", "third").append("processorName", "projection").append("segment", 5));
        assertThat(tokens.countDocuments()).isEqualTo(2);
    }

    @Test
    void everythingSurvivesCloseAndReopen() {
        orders().insertMany(docs("a", "b", "c"));
        orders().updateOne(Filters.eq("_id", "b"), Updates.set("state", "paid"));
        orders().deleteOne(Filters.eq("_id", "c"));
        database.getCollection("products").insertOne(new Document("_id", "p-1"));
        standIn.client().getDatabase("other").getCollection("things").insertOne(new Document("_id", 1));

        reopen();

        assertThat(orders().find().into(new ArrayList<>())).containsExactly(new Document("_id", "a"),
                new Document("_id", "b").append("state", "paid"));
        assertThat(database.listCollectionNames().into(new ArrayList<>())).containsExactlyInAnyOrder("orders",
                "products");
        assertThat(standIn.client().getDatabase("other").getCollection("things").countDocuments()).isOne();
        assertThatThrownBy(() -> orders().insertOne(new Document("_id", "a"))).isInstanceOf(MongoWriteException.class);
    }

    @Test
    void renamedCollectionKeepsItsDocumentsAndIndexes() {
        MongoCollection<Document> tokens = database.getCollection("tokens");
        tokens.createIndex(Indexes.ascending("processorName", "segment"), new IndexOptions().unique(true));
        tokens.insertOne(token("projection", 0, null));

        tokens.renameCollection(new com.mongodb.MongoNamespace("shop", "renamed"));
        reopen();

        MongoCollection<Document> renamed = database.getCollection("renamed");
        assertThat(renamed.find(Filters.eq("_id", "projection/0")).first()).isNotNull();
        assertThatThrownBy(() -> renamed.insertOne(new Document("_id", "x").append("processorName", "projection")
                .append("segment", 0))).isInstanceOf(MongoWriteException.class);
        assertThat(database.listCollectionNames().into(new ArrayList<>())).containsExactly("renamed");
    }

    private static Document token(String processor, int segment, String owner) {
        return new Document("_id", processor + "/" + segment).append("processorName", processor)
                .append("segment", segment).append("owner", owner);
    }

    private static List<Document> docs(String... ids) {
        List<Document> documents = new ArrayList<>();
        for (String id : ids) {
            documents.add(new Document("_id", id));
        }
        return documents;
    }

    private static List<Object> ids(MongoCollection<Document> collection) {
        return collection.find().into(new ArrayList<>()).stream().map(document -> document.get("_id")).toList();
    }
}
