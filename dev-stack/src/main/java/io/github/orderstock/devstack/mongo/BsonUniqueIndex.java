package io.github.orderstock.devstack.mongo;

import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;

/**
 * A unique index other than {@code _id} (the token store's processor name and segment, the event store's aggregate
 * and sequence), in its own MVMap from key values to the document's position. Beyond the base class, which serves a
 * filter only if it names exactly the index's fields, it also serves one that pins every indexed field to a plain
 * value among other conditions.
 */
final class BsonUniqueIndex extends AbstractUniqueIndex<Object> {

    private final JournaledMap<KeyValue, Object> entries;

    BsonUniqueIndex(String name, List<IndexKey> keys, boolean sparse, JournaledMap<KeyValue, Object> entries) {
        super(name, keys, sparse);
        this.entries = entries;
    }

    @Override
    protected Object removeDocument(KeyValue keyValue) {
        return entries.remove(keyValue);
    }

    @Override
    protected boolean putKeyPosition(KeyValue keyValue, Object position) {
        return entries.putIfAbsent(keyValue, position) == null;
    }

    @Override
    protected Iterable<Entry<KeyValue, Object>> getIterable() {
        return entries.entrySet();
    }

    @Override
    protected Object getPosition(KeyValue keyValue) {
        return entries.get(keyValue);
    }

    @Override
    public synchronized boolean canHandle(Document query) {
        return super.canHandle(query) || pinsEveryField(query);
    }

    @Override
    public synchronized Iterable<Object> getPositions(Document query) {
        if (super.canHandle(query)) {
            return super.getPositions(query);
        }
        var pinned = new Document();
        keys().forEach(field -> pinned.put(field, query.get(field)));
        return super.getPositions(pinned);
    }

    private boolean pinsEveryField(Document query) {
        return keys().stream().allMatch(field -> isPlain(query.get(field)));
    }

    /** Matched by equality alone: not null (which matches a missing field), not a regex, array or document. */
    private static boolean isPlain(Object value) {
        return !Missing.isNullOrMissing(value) && !(value instanceof BsonRegularExpression)
                && !(value instanceof Map) && !(value instanceof Collection);
    }

    @Override
    public long getCount() {
        return entries.size();
    }

    @Override
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public long getDataSize() {
        return getCount();
    }
}
