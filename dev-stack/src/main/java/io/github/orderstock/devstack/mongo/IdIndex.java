package io.github.orderstock.devstack.mongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.DuplicateKeyError;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code _id} index, answered by the collection's documents map itself: its keys are the normalized ids, so there
 * is no second map to write. It serves any filter that pins {@code _id} by equality or {@code $in}, whatever else the
 * filter says (the collection then matches the rest), as MongoDB's {@code _id} index does.
 */
final class IdIndex extends Index<Object> {

    static final String FIELD = "_id";

    private final JournaledMap<Object, byte[]> documents;

    IdIndex(String name, List<IndexKey> keys, JournaledMap<Object, byte[]> documents) {
        super(name, keys, false);
        this.documents = documents;
    }

    @Override
    public Object getPosition(Document document) {
        Object position = KeyCodec.normalize(document.get(FIELD));
        return documents.containsKey(position) ? position : null;
    }

    @Override
    public void checkAdd(Document document, MongoCollection<Object> collection) {
        if (documents.containsKey(KeyCodec.normalize(document.get(FIELD)))) {
            throw duplicate(document, collection);
        }
    }

    @Override
    public void add(Document document, Object position, MongoCollection<Object> collection) {
        // The collection's own put is the index entry.
    }

    @Override
    public Object remove(Document document) {
        return getPosition(document);
    }

    @Override
    public boolean canHandle(Document query) {
        return candidates(query) != null;
    }

    @Override
    public Iterable<Object> getPositions(Document query) {
        return candidates(query);
    }

    /** The ids a filter can match, in index order, or null if it does not pin {@code _id} to a few values. */
    private static Collection<Object> candidates(Document query) {
        if (!query.containsKey(FIELD)) {
            return null;
        }
        Object value = query.get(FIELD);
        if (value instanceof Document condition && isOperator(condition)) {
            Object values = condition.size() != 1 ? null : condition.containsKey("$eq")
                    ? Collections.singletonList(condition.get("$eq")) : condition.get("$in");
            if (!(values instanceof Collection<?> collection)) {
                return null;
            }
            Set<Object> positions = new TreeSet<>(KeyCodec::compare);
            for (Object element : collection) {
                if (!isLiteral(element)) {
                    return null;
                }
                positions.add(KeyCodec.normalize(element));
            }
            return positions;
        }
        return isLiteral(value) ? List.of(KeyCodec.normalize(value)) : null;
    }

    private static boolean isOperator(Document document) {
        return !document.isEmpty() && document.keySet().iterator().next().startsWith("$");
    }

    /** A value that matches by equality only: null also matches a missing field, a regex matches strings. */
    private static boolean isLiteral(Object value) {
        return value != null && !(value instanceof BsonRegularExpression)
                && !(value instanceof Document document && isOperator(document));
    }

    @Override
    public long getCount() {
        return documents.size();
    }

    @Override
    public boolean isEmpty() {
        return documents.isEmpty();
    }

    @Override
    public long getDataSize() {
        return getCount();
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
        Object newPosition = KeyCodec.normalize(newDocument.get(FIELD));
        if (KeyCodec.compare(KeyCodec.normalize(oldDocument.get(FIELD)), newPosition) != 0
                && documents.containsKey(newPosition)) {
            throw duplicate(newDocument, collection);
        }
    }

    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, Object position,
                              MongoCollection<Object> collection) {
        // An update never changes _id (the base class refuses it), so the key stays.
    }

    @Override
    public void drop() {
        // The documents map goes with the collection.
    }

    @Override
    public boolean isUnique() {
        return true;
    }

    private DuplicateKeyError duplicate(Document document, MongoCollection<Object> collection) {
        return new DuplicateKeyError(this, collection, getKeys(),
                new KeyValue(Collections.singletonList(document.get(FIELD))));
    }
}
