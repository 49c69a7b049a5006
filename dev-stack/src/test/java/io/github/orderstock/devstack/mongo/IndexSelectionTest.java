package io.github.orderstock.devstack.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which filters the indexes serve (the others scan the collection): the services' lookups by {@code _id}, with or
 * without further conditions, must never scan.
 */
class IndexSelectionTest {

    private final IdIndex id = new IdIndex("_id_", List.of(new IndexKey("_id", true)), null);
    private final BsonUniqueIndex token = new BsonUniqueIndex("processorName_1_segment_1",
            List.of(new IndexKey("processorName", true), new IndexKey("segment", true)), false, null);

    @Test
    void idIndexServesEveryLookupByIdTheServicesMake() {
        assertThat(id.canHandle(new Document("_id", "o-1"))).isTrue();
        assertThat(id.canHandle(new Document("_id", new Document("$in", List.of("a", "b"))))).isTrue();
        assertThat(id.canHandle(new Document("_id", new Document("$eq", 3)))).isTrue();
        assertThat(id.canHandle(new Document("_id", "o-1").append("productId", "1").append("quantity", 2)))
                .isTrue();
        assertThat(id.canHandle(new Document("_id", new Document("$in", List.of("a")))
                .append("lastSequence", new Document("$lt", 4)))).isTrue();
        assertThat(id.canHandle(new Document("_id", new Document("product", "p").append("sequence", 1)))).isTrue();
    }

    @Test
    void idIndexLeavesWhatIsNotEqualityOnIdToTheScan() {
        assertThat(id.canHandle(new Document("productId", "1"))).isFalse();
        assertThat(id.canHandle(new Document("_id", new Document("$gt", "a")))).isFalse();
        assertThat(id.canHandle(new Document("_id", null))).isFalse();
        assertThat(id.canHandle(new Document("_id", new BsonRegularExpression("^a", "")))).isFalse();
        assertThat(id.canHandle(new Document("_id", new Document("$in", List.of("a", new BsonRegularExpression("b",
                ""))))))
                .isFalse();
        assertThat(id.canHandle(new Document("_id", new Document("$in", List.of("a")).append("$ne", "b"))))
                .isFalse();
    }

    @Test
    void idLookupsAreNormalizedSortedAndDistinct() {
        assertThat(id.getPositions(new Document("_id", new Document("$in", List.of("b", 2, "a", 2L, "b")))))
                .containsExactly(2.0, "a", "b");
        assertThat(id.getPositions(new Document("_id", 7))).containsExactly(7.0);
    }

    @Test
    void uniqueIndexServesFiltersThatPinEveryIndexedField() {
        assertThat(token.canHandle(new Document("processorName", "p").append("segment", 0))).isTrue();
        assertThat(token.canHandle(new Document("processorName", "p").append("segment", 0)
                .append("$or", List.of(new Document("owner", "me"), new Document("owner", null))))).isTrue();
        assertThat(token.canHandle(new Document("processorName", "p"))).isFalse();
        assertThat(token.canHandle(new Document("processorName", "p").append("segment", null)
                .append("owner", "me"))).isFalse();
        assertThat(token.canHandle(new Document("processorName", "p").append("segment", new Document("$gte", 0))
                .append("owner", "me"))).isFalse();
    }
}
