package io.github.orderstock.devstack;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.h2.mvstore.MVStore;

/**
 * mongo-java-server's published H2 backend, committed (its own {@link H2Backend#commit()}) before a command that
 * changed anything is answered. As published, the backend leaves commits to the MVStore's background writer, once a
 * second, so a {@code kill -9} of the stand-in lost what it had acknowledged in the last second; the system tests that
 * kill the stand-in under load count on acknowledged writes being there after its restart, as they would be on
 * MongoDB with a journal. A commit waits until no command is half done, so it never stores half of one (a document
 * without its index entries); the background writer still commits once a second and may, in the instant before a
 * kill, have stored half of a command that was never acknowledged (docs/adr/0003-embedded-stack-of-child-jvms.md).
 * Commits are grouped for free: one commit covers every command finished before it, and the commands queued behind it
 * find nothing left to commit. It survives a crash of the process, not of the machine: MVStore does not fsync.
 *
 * <p>When the file cannot be written (a full disk), the MVStore closes itself for good; this backend then calls
 * {@code cannotWrite}, which ends the stand-in so that it can be started again once there is space.
 *
 * <p>It also mends one bug of the published backend (1.47.0): {@code renameCollection} renames the collection in
 * memory only, so after a restart the target is empty and the documents sit under the old name; the query side's
 * replay switches its rebuilt collections in with exactly that command (ADR 10). See {@link RenamingH2Database}.
 */
final class CommittingH2Backend extends H2Backend {

    private final ReadWriteLock commandsOrCommit = new ReentrantReadWriteLock();
    private final Consumer<Throwable> cannotWrite;
    private volatile boolean closing;

    private CommittingH2Backend(MVStore store, Consumer<Throwable> cannotWrite) {
        super(store);
        this.cannotWrite = cannotWrite;
    }

    /** Opens (or creates) the file as {@link H2Backend#H2Backend(String)} does, and is told when writing fails. */
    static CommittingH2Backend open(Path file, Consumer<Throwable> cannotWrite) {
        MVStore store = new MVStore.Builder().fileName(file.toString())
                .backgroundExceptionHandler((thread, failure) -> cannotWrite.accept(failure))
                .open();
        return new CommittingH2Backend(store, cannotWrite);
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        commandsOrCommit.readLock().lock();
        try {
            return super.handleCommand(channel, database, command, query);
        } finally {
            commandsOrCommit.readLock().unlock();
            // Also after a read: what it saw (another command's write, finished but not yet committed) must not be
            // lost once this client has it.
            commitIfChanged();
        }
    }

    private void commitIfChanged() {
        MVStore store = getMvStore();
        if (closing) {
            return;
        }
        if (store.isClosed()) {
            cannotWrite.accept(new IllegalStateException("the H2 store closed itself after a failed write"));
            return;
        }
        if (!store.hasUnsavedChanges()) {
            return;
        }
        commandsOrCommit.writeLock().lock();
        try {
            if (store.hasUnsavedChanges()) {
                commit();
            }
        } catch (RuntimeException e) {
            cannotWrite.accept(e);
            throw e;
        } finally {
            commandsOrCommit.writeLock().unlock();
        }
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new RenamingH2Database(databaseName, getMvStore(), getCursorRegistry());
    }

    @Override
    public void close() {
        closing = true;
        super.close();
    }

    /**
     * mongo-java-server's {@code H2Database.moveCollection} asks the collection for its name after it was already
     * renamed, so it renames the new name's maps onto themselves and leaves the documents, their metadata and their
     * index entries in maps named after the old collection, where the next start does not look. This renames those
     * maps, replacing any left under the new name (the dropped target's, or the empty ones the bug opened).
     */
    static final class RenamingH2Database extends H2Database {

        private final MVStore store;

        RenamingH2Database(String databaseName, MVStore store, CursorRegistry cursors) {
            super(databaseName, store, cursors);
            this.store = store;
        }

        @Override
        public void moveCollection(MongoDatabase oldDatabase, MongoCollection<?> collection, String newCollectionName) {
            String from = collection.getFullName();
            super.moveCollection(oldDatabase, collection, newCollectionName);
            String to = getDatabaseName() + "." + newCollectionName;
            for (String map : List.copyOf(store.getMapNames())) {
                String renamed = renamed(map, from, to);
                if (renamed != null) {
                    if (store.hasMap(renamed)) {
                        store.removeMap(renamed);
                    }
                    store.renameMap(store.openMap(map), renamed);
                }
            }
        }

        /** The backend's map names of a collection: {@code databases.<db.coll>}, {@code meta.<db.coll>}, indexes. */
        static String renamed(String map, String from, String to) {
            for (String prefix : List.of("databases.", "meta.")) {
                if (map.equals(prefix + from)) {
                    return prefix + to;
                }
            }
            return map.startsWith(from + "._index_") ? to + map.substring(from.length()) : null;
        }
    }
}
