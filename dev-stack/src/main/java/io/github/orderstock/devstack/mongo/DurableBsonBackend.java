package io.github.orderstock.devstack.mongo;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * The stand-in's durable backend: mongo-java-server's query engine over an MVStore file that holds documents as BSON
 * bytes ({@link BsonStore}). A command returns only once every change it made or saw is in the store's journal file,
 * so a {@code kill -9} loses nothing acknowledged (mongo-java-server's own H2Backend leaves commits to a background
 * thread, once a second); journal writes are grouped across concurrent commands ({@link Journal}).
 */
public final class DurableBsonBackend extends AbstractMongoBackend {

    /** Commands that may change data: a checkpoint waits until none runs, so it never commits half of one. */
    private static final Set<String> WRITES = Set.of("insert", "update", "delete", "findandmodify",
            "createindexes", "dropindexes", "drop", "dropdatabase", "create", "renamecollection");

    private final BsonStore store;

    /**
     * Opens or creates the store in {@code file}.
     *
     * @throws UnreadableStoreException if the file holds anything but this backend's format
     */
    public DurableBsonBackend(Path file) {
        this(BsonStore.open(file, StoreSettings.DEFAULT));
    }

    DurableBsonBackend(BsonStore store) {
        this.store = store;
        store.databaseNames().forEach(this::resolveDatabase);
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new BsonDatabase(databaseName, store, getCursorRegistry());
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        boolean writes = WRITES.contains(command.toLowerCase(Locale.ROOT));
        if (writes) {
            store.beginChange();
        }
        try {
            return super.handleCommand(channel, database, command, query);
        } finally {
            if (writes) {
                store.endChange();
            } else {
                store.endOperation();
            }
            // Also after a read: what it saw must not be lost once the client has it.
            store.awaitDurable();
        }
    }

    @Override
    public void close() {
        super.close();
        store.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }
}
