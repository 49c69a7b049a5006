package io.github.orderstock.devstack.mongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractSynchronizedMongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;
import java.util.List;

/** A database whose collections and unique indexes are maps of one {@link BsonStore}. */
final class BsonDatabase extends AbstractSynchronizedMongoDatabase<Object> {

    private final BsonStore store;

    BsonDatabase(String databaseName, BsonStore store, CursorRegistry cursorRegistry) {
        super(databaseName, cursorRegistry);
        this.store = store;
        initializeNamespacesAndIndexes();
    }

    @Override
    public Document handleCommand(Channel channel, String command, Document query, DatabaseResolver databaseResolver,
                                  Oplog oplog) {
        Document response = super.handleCommand(channel, command, query, databaseResolver, oplog);
        if (command.equalsIgnoreCase("insert") && response.get("writeErrors") instanceof List<?> errors
                && !errors.isEmpty()) {
            // mongo-java-server counts every document it was sent; MongoDB counts those it inserted.
            int sent = ((List<?>) query.get("documents")).size();
            int inserted = Utils.isTrue(query.get("ordered")) ? (Integer) ((Document) errors.get(0)).get("index")
                    : sent - errors.size();
            response.put("n", inserted);
        }
        return response;
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
        return new BsonCollection(this, collectionName, options, store, cursorRegistry);
    }

    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                    boolean sparse) {
        String namespace = getFullCollectionNamespace(collectionName);
        if (keys.size() == 1 && keys.get(0).getKey().equals(IdIndex.FIELD)) {
            return new IdIndex(indexName, keys, store.documents(namespace));
        }
        return new BsonUniqueIndex(indexName, keys, sparse, store.index(namespace, indexName));
    }

    @Override
    protected void dropIndex(MongoCollection<Object> collection, String indexName) {
        super.dropIndex(collection, indexName);
        store.removeIndex(collection.getFullName(), indexName);
    }

    @Override
    public void dropCollection(String collectionName, Oplog oplog) {
        // The base class drops the collection's indexes through dropIndex first.
        super.dropCollection(collectionName, oplog);
        store.removeDocuments(getFullCollectionNamespace(collectionName));
    }

    @Override
    public void moveCollection(MongoDatabase oldDatabase, MongoCollection<?> collection, String newCollectionName) {
        String namespace = collection.getFullName();
        String newNamespace = getFullCollectionNamespace(newCollectionName);
        super.moveCollection(oldDatabase, collection, newCollectionName);
        store.renameDocuments(namespace, newNamespace);
        for (Index<?> index : collection.getIndexes()) {
            if (!(index instanceof IdIndex)) {
                store.renameIndex(namespace, newNamespace, index.getName());
            }
        }
    }

    @Override
    protected long getStorageSize() {
        return store.fileSize();
    }

    @Override
    protected long getFileSize() {
        return store.fileSize();
    }
}
