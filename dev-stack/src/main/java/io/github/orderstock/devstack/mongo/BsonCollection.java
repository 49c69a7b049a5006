package io.github.orderstock.devstack.mongo;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractSynchronizedMongoCollection;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.h2.mvstore.Cursor;

/**
 * A collection held in one MVMap from normalized id to the document's BSON bytes. The map is its {@code _id} index
 * too ({@link IdIndex}), so a write touches one map; storing bytes makes a commit copy them instead of serializing
 * objects.
 */
final class BsonCollection extends AbstractSynchronizedMongoCollection<Object> {

    private static final long UNKNOWN = -1;

    private final JournaledMap<Object, byte[]> documents;
    private final BsonStore store;
    // Counted only once someone asks (collStats), so that writes need not keep a persistent total up to date.
    private long dataSize = UNKNOWN;

    BsonCollection(MongoDatabase database, String name, CollectionOptions options, BsonStore store,
                   CursorRegistry cursorRegistry) {
        super(database, name, options, cursorRegistry);
        this.store = store;
        this.documents = store.documents(database.getDatabaseName() + "." + name);
    }

    // Each write below hands its records (the document's and its index entries') to the journal as one unit, while
    // it still holds the collection's lock, so that the journal orders them as the maps saw them.

    @Override
    public synchronized void addDocument(Document document) {
        try {
            super.addDocument(document);
        } finally {
            store.endOperation();
        }
    }

    @Override
    public synchronized void addDocuments(Stream<Document> documents) {
        try {
            super.addDocuments(documents);
        } finally {
            store.endOperation();
        }
    }

    @Override
    public synchronized List<Document> insertDocuments(List<Document> documents, boolean isOrdered) {
        try {
            return super.insertDocuments(documents, isOrdered);
        } finally {
            store.endOperation();
        }
    }

    @Override
    public synchronized Document findAndModify(Document query) {
        try {
            return super.findAndModify(query);
        } finally {
            store.endOperation();
        }
    }

    @Override
    public synchronized int deleteDocuments(Document selector, int limit, Oplog oplog) {
        try {
            return super.deleteDocuments(selector, limit, oplog);
        } finally {
            store.endOperation();
        }
    }

    @Override
    public synchronized Document updateDocuments(Document selector, Document updateQuery, ArrayFilters arrayFilters,
                                                 boolean isMulti, boolean isUpsert, Oplog oplog) {
        try {
            return super.updateDocuments(selector, updateQuery, arrayFilters, isMulti, isUpsert, oplog);
        } finally {
            store.endOperation();
        }
    }

    @Override
    public synchronized void removeDocument(Document document) {
        try {
            super.removeDocument(document);
        } finally {
            store.endOperation();
        }
    }

    /** The base class would BSON-encode every written document once more only to add up sizes. */
    @Override
    protected boolean tracksDataSize() {
        return false;
    }

    @Override
    protected Object addDocumentInternal(Document document) {
        String idField = getIdField();
        // Utils.getSubdocumentValue splits the path with a regex: a tenth of an insert's CPU for a plain field.
        Object position = idField == null ? UUID.randomUUID() : KeyCodec.normalize(idField.indexOf('.') < 0
                ? document.get(idField) : Utils.getSubdocumentValue(document, idField));
        byte[] bson = DocumentCodec.encode(document);
        if (documents.putIfAbsent(position, bson) != null) {
            throw new IllegalStateException("A document with id " + position + " is already in " + getFullName());
        }
        addDataSize(bson.length);
        return position;
    }

    @Override
    protected Document getDocument(Object position) {
        byte[] bson = documents.get(position);
        return bson == null ? null : DocumentCodec.decode(bson);
    }

    @Override
    protected void removeDocument(Object position) {
        byte[] removed = documents.remove(position);
        if (removed == null) {
            throw new NoSuchElementException("No document with id " + position + " in " + getFullName());
        }
        addDataSize(-removed.length);
    }

    @Override
    protected void handleUpdate(Object position, Document oldDocument, Document newDocument) {
        byte[] bson = DocumentCodec.encode(newDocument);
        byte[] previous = documents.put(position, bson);
        addDataSize(bson.length - (previous == null ? 0 : previous.length));
    }

    /** Building an index reads every page of the collection: their chunks must stay until it is done. */
    @Override
    public void addIndex(Index<Object> index) {
        store.scan(() -> {
            super.addIndex(index);
            return null;
        });
    }

    @Override
    public int count() {
        return (int) documents.size();
    }

    @Override
    public boolean isEmpty() {
        return documents.isEmpty();
    }

    @Override
    protected Stream<DocumentWithPosition<Object>> streamAllDocumentsWithPosition() {
        return documents.entrySet().stream()
                .map(entry -> new DocumentWithPosition<>(DocumentCodec.decode(entry.getValue()), entry.getKey()));
    }

    @Override
    protected QueryResult matchDocuments(Document query, Document orderBy, int numberToSkip, int limit,
                                         int batchSize, Document fieldSelector) {
        return store.scan(() -> {
            Cursor<Object, byte[]> cursor = documents.cursor(isNaturalDescending(orderBy));
            Iterator<Document> all = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return cursor.hasNext();
                }

                @Override
                public Document next() {
                    cursor.next();
                    return DocumentCodec.decode(cursor.getValue());
                }
            };
            Stream<Document> stream = StreamSupport.stream(
                    Spliterators.spliteratorUnknownSize(all, Spliterator.ORDERED), false);
            return matchDocumentsFromStream(stream, query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        });
    }

    /** Index lookups may name ids that do not exist ({@link IdIndex} does not look them up twice). */
    @Override
    protected QueryResult matchDocuments(Document query, Iterable<Object> positions, Document orderBy,
                                         int numberToSkip, int limit, int batchSize, Document fieldSelector) {
        Stream<Document> candidates = StreamSupport.stream(positions.spliterator(), false)
                .map(documents::get)
                .filter(Objects::nonNull)
                .map(DocumentCodec::decode);
        return matchDocumentsFromStream(candidates, query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    @Override
    protected void updateDataSize(int sizeDelta) {
        addDataSize(sizeDelta);
    }

    @Override
    protected synchronized int getDataSize() {
        if (dataSize == UNKNOWN) {
            long total = 0;
            for (byte[] bson : documents.values()) {
                total += bson.length;
            }
            dataSize = total;
        }
        return (int) Math.min(Integer.MAX_VALUE, dataSize);
    }

    // Callers hold the collection's lock: every writing method of the base class is synchronized.
    private void addDataSize(long delta) {
        if (dataSize != UNKNOWN) {
            dataSize += delta;
        }
    }
}
