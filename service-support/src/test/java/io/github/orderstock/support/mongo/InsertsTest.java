package io.github.orderstock.support.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.mongodb.client.MongoCollection;
import io.github.orderstock.support.testing.InMemoryMongo;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class InsertsTest {

    @RegisterExtension
    final InMemoryMongo mongo = InMemoryMongo.forEachTest();
    private final MongoCollection<Document> collection = mongo.database("test").getCollection("things");

    @Test
    void insertsTheNewDocumentsAndAnswersWhichExistedLeavingThemAsTheyWere() {
        collection.insertOne(new Document("_id", "b").append("v", "first"));

        List<Integer> existed = Inserts.insertNew(collection, List.of(new Document("_id", "a").append("v", "new"),
                new Document("_id", "b").append("v", "second"), new Document("_id", "c").append("v", "new")));

        assertThat(existed).containsExactly(1);
        assertThat(collection.find().map(document -> document.getString("_id") + "=" + document.getString("v")))
                .containsExactlyInAnyOrder("a=new", "b=first", "c=new");
    }

    @Test
    void answersNothingWhenEveryDocumentIsNew() {
        assertThat(Inserts.insertNew(collection, List.of(new Document("_id", "a"), new Document("_id", "b"))))
                .isEmpty();
        assertThat(collection.countDocuments()).isEqualTo(2);
    }
}
