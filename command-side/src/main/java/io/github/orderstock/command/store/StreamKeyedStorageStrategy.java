package io.github.orderstock.command.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndReplaceOptions;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.documentperevent.DocumentPerEventStorageStrategy;
import org.axonframework.serialization.Serializer;
import org.bson.Document;

/**
 * Axon's one-document-per-event layout, with each document keyed by its place in its aggregate's stream:
 * {@code _id = "<aggregateId>/<sequenceNumber>"}, and each snapshot keyed by its aggregate id.
 * <p>
 * Every read the command side makes is then a lookup of known keys: loading a product reads the keys after its
 * snapshot, the publisher reads the keys after what it published. No read depends on the size of the store, on real
 * MongoDB or on the stand-in, which uses no secondary index and would scan the whole collection for Axon's own
 * queries (1.4 s per read at 200,000 events on the H2 backend). The key also makes a second event at the same place
 * of a stream impossible, which is what Axon's unique {@code (aggregateIdentifier, sequenceNumber)} index was for, so
 * no secondary index is created (each would cost every insert). Tracking reads of the whole store still work but are
 * not used: events reach Kafka through {@code EventPublisher}.
 */
public class StreamKeyedStorageStrategy extends DocumentPerEventStorageStrategy {

    private static final String ID = "_id";

    /** The {@code _id} of the event at {@code sequenceNumber} in the stream of {@code aggregateIdentifier}. */
    public static String key(String aggregateIdentifier, long sequenceNumber) {
        return aggregateIdentifier + "/" + sequenceNumber;
    }

    @Override
    protected Stream<Document> createEventDocuments(List<? extends EventMessage<?>> events, Serializer serializer) {
        return super.createEventDocuments(events, serializer).map(document -> withId(document, key(
                document.getString(eventConfiguration().aggregateIdentifierProperty()),
                ((Number) document.get(eventConfiguration().sequenceNumberProperty())).longValue())));
    }

    /**
     * The events from {@code firstSequenceNumber} on, at most {@code batchSize}, read by their keys; stops at the first
     * missing one (a stream has no gaps). Axon asks for the next batch when this one is full.
     */
    @Override
    public List<? extends DomainEventData<?>> findDomainEvents(MongoCollection<Document> collection,
                                                               String aggregateIdentifier, long firstSequenceNumber,
                                                               int batchSize) {
        List<String> keys = LongStream.range(firstSequenceNumber, firstSequenceNumber + batchSize)
                .mapToObj(sequence -> key(aggregateIdentifier, sequence))
                .collect(Collectors.toList());
        List<DomainEventData<?>> found = new ArrayList<>(batchSize);
        for (Document document : collection.find(Filters.in(ID, keys))) {
            extractEvents(document).forEach(found::add);
        }
        found.sort(Comparator.comparingLong(DomainEventData::getSequenceNumber));
        List<DomainEventData<?>> contiguous = new ArrayList<>(found.size());
        long expected = firstSequenceNumber;
        for (DomainEventData<?> event : found) {
            if (event.getSequenceNumber() != expected) {
                break;
            }
            contiguous.add(event);
            expected++;
        }
        return contiguous;
    }

    /** One snapshot per aggregate, replaced by the next: found by key, nothing older to delete. */
    @Override
    public void appendSnapshot(MongoCollection<Document> snapshotCollection, DomainEventMessage<?> snapshot,
                               Serializer serializer) {
        snapshotCollection.findOneAndReplace(Filters.eq(ID, snapshot.getAggregateIdentifier()),
                withId(createSnapshotDocument(snapshot, serializer), snapshot.getAggregateIdentifier()),
                new FindOneAndReplaceOptions().upsert(true));
    }

    @Override
    public Stream<? extends DomainEventData<?>> findSnapshots(MongoCollection<Document> snapshotCollection,
                                                              String aggregateIdentifier) {
        Document snapshot = snapshotCollection.find(Filters.eq(ID, aggregateIdentifier)).first();
        return snapshot == null ? Stream.empty() : Stream.of(extractSnapshot(snapshot));
    }

    @Override
    public void deleteSnapshots(MongoCollection<Document> snapshotCollection, String aggregateIdentifier,
                                long sequenceNumber) {
        // appendSnapshot replaced the only earlier snapshot.
    }

    @Override
    public void ensureIndexes(MongoCollection<Document> eventsCollection,
                              MongoCollection<Document> snapshotsCollection) {
        // The keys are the index; see the class comment.
    }

    private static Document withId(Document document, String id) {
        Document keyed = new Document(ID, id);
        keyed.putAll(document);
        return keyed;
    }
}
