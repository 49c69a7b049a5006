package io.github.orderstock.query.rejected;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoDatabase;
import io.github.orderstock.support.testing.InMemoryMongo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RejectedRecordsTest {

    @RegisterExtension
    final InMemoryMongo mongo = InMemoryMongo.forEachTest();
    private MongoDatabase database;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private RejectedRecords rejected;

    @BeforeEach
    void setUp() {
        database = mongo.database("shop_read");
        rejected = new RejectedRecords(database, meters);
    }

    @Test
    void keepsOneDeadLetterPerRecordAndCountsEachEncounter() {
        RejectedRecord record = new RejectedRecord("shop-events", 1, 5, "1", "no-envelope",
                "not an Axon event envelope", 3, "abc");

        rejected.on(record);
        rejected.on(record);

        Document deadLetter = database.getCollection("rejected_records").find().first();
        assertThat(database.getCollection("rejected_records").countDocuments()).isEqualTo(1);
        assertThat(deadLetter).containsEntry("_id", "shop-events-1@5").containsEntry("offset", 5L)
                .containsEntry("reason", "not an Axon event envelope");
        assertThat(meters.counter(RejectedRecords.METRIC, "kind", "no-envelope").count()).isEqualTo(2.0);
    }
}
