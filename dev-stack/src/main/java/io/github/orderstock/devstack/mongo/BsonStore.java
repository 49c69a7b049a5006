package io.github.orderstock.devstack.mongo;

import de.bwaldvogel.mongo.backend.KeyValue;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.DataType;
import org.h2.mvstore.type.StringDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MVStore file and its journal. Maps hold each collection's documents ({@code documents:<db>.<collection>}) and
 * each unique index other than {@code _id} ({@code index:<db>.<collection>$<index>}; a collection name cannot contain
 * {@code $}); a map {@code orderstock.format} marks the format and names the last journal generation the committed
 * state holds.
 *
 * <p>Durability comes from the {@link Journal}: a change is acknowledged once its record is in the journal file. The
 * MVStore never commits on its own. A checkpoint, once a second, switches to a new journal file and takes the
 * commit's snapshot while every writing command is kept out (a few milliseconds; the chunk is written after), so the
 * committed state is exactly the journal up to a generation, and opening the store replays the generations after it.
 * (Committing the MVStore for every acknowledged write instead spent most of the stand-in's CPU on rewriting the
 * store's chunk metadata, and a checkpoint that kept writers out for the whole commit stalled them up to 0.7 s.)
 */
final class BsonStore implements AutoCloseable {

    static final String FORMAT_MAP = "orderstock.format";
    static final String FORMAT_KEY = "documents";
    static final String FORMAT = "bson-1";
    private static final String CHECKPOINT_KEY = "journal";

    private static final String DOCUMENTS = "documents:";
    private static final String INDEX = "index:";
    /** Where mongo-java-server's own H2Backend keeps its Java-serialized documents. */
    private static final String JAVA_SERIALIZED_DOCUMENTS = "databases.";

    private static final int BACKGROUND_COMMIT_MILLIS = 3_600_000;
    private static final long CHECKPOINT_POLL_MILLIS = 100;
    private static final int CHECKPOINT_MEMORY_BYTES = 64 * 1024 * 1024;
    private static final int COMPACT_FILL_RATE = 80;
    private static final int COMPACT_BYTES = 4 * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(BsonStore.class);

    private final MVStore store;
    private final Path file;
    private final StoreSettings settings;
    private final Journal journal;
    private final Map<String, JournaledMap<?, ?>> maps = new ConcurrentHashMap<>();
    private final ReentrantReadWriteLock changes = new ReentrantReadWriteLock();
    private final ScheduledExecutorService checkpoints;
    private volatile long lastCheckpoint = System.nanoTime();

    private BsonStore(MVStore store, Path file, StoreSettings settings, long generation) {
        this.store = store;
        this.file = file;
        this.settings = settings;
        this.journal = new Journal(file, generation);
        this.checkpoints = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var thread = new Thread(runnable, "mongo-checkpoint");
            thread.setDaemon(true);
            return thread;
        });
        checkpoints.scheduleWithFixedDelay(this::scheduledCheckpoint, CHECKPOINT_POLL_MILLIS, CHECKPOINT_POLL_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Opens or creates the store in {@code file} and replays its journal.
     *
     * @throws UnreadableStoreException if the file is anything but this store
     */
    static BsonStore open(Path file, StoreSettings settings) {
        MVStore store;
        try {
            store = new MVStore.Builder()
                    .fileName(file.toString())
                    .autoCommitDisabled()
                    .autoCommitBufferSize(0)
                    .cacheSize(settings.cacheMb())
                    .pageSplitSize(settings.pageSplitSize())
                    .open();
            store.setRetentionTime(settings.retentionMs());
            store.setVersionsToKeep(settings.versionsToKeep());
            // Only for the serialization threads that come with it: a commit then returns once it has taken its
            // snapshot, and is written while writers go on. Checkpoints keep it from ever committing by itself.
            store.setAutoCommitDelay(BACKGROUND_COMMIT_MILLIS);
        } catch (MVStoreException e) {
            if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
                throw new UnreadableStoreException(file + " is in use by another process: " + e.getMessage(), e);
            }
            throw unreadable(file, "it is not an MVStore file (" + e.getMessage() + ")", e);
        }
        try {
            checkFormat(store, file);
            long generation = replayJournal(store, file);
            return new BsonStore(store, file, settings, generation + 1);
        } catch (RuntimeException e) {
            store.closeImmediately();
            throw e;
        }
    }

    private static void checkFormat(MVStore store, Path file) {
        Set<String> names = store.getMapNames();
        if (names.contains(FORMAT_MAP)) {
            String format = formatMap(store).get(FORMAT_KEY);
            if (!FORMAT.equals(format)) {
                throw unreadable(file, "its documents are in format '" + format + "', this stand-in reads '" + FORMAT
                        + "'", null);
            }
        } else if (names.isEmpty()) {
            if (!Journal.generations(file).isEmpty()) {
                throw unreadable(file, "it is new, but the journal of a store that was there lies beside it", null);
            }
            formatMap(store).put(FORMAT_KEY, FORMAT);
            store.commit();
        } else if (names.stream().anyMatch(name -> name.startsWith(JAVA_SERIALIZED_DOCUMENTS))) {
            throw unreadable(file, "an earlier version of the stand-in wrote it, with Java-serialized documents", null);
        } else {
            throw unreadable(file, "it holds maps " + names + " but no mark of this stand-in's format", null);
        }
    }

    private static UnreadableStoreException unreadable(Path file, String why, Throwable cause) {
        return new UnreadableStoreException(String.format("The MongoDB stand-in cannot read %s: %s. Its data cannot be"
                + " used: delete the directory %s (or the stack's whole data directory), or start the stack with"
                + " another --data-dir.", file, why, file.toAbsolutePath().getParent()), cause);
    }

    /** Applies the journal files newer than the committed state, commits, and returns the newest generation. */
    private static long replayJournal(MVStore store, Path file) {
        MVMap<String, String> format = formatMap(store);
        long committed = Long.parseLong(format.getOrDefault(CHECKPOINT_KEY, "0"));
        long newest = committed;
        List<Long> generations = Journal.generations(file);
        for (long generation : generations) {
            if (generation > committed) {
                Journal.replay(file, generation, record -> apply(store, record));
                newest = generation;
            }
        }
        format.put(CHECKPOINT_KEY, Long.toString(newest));
        store.commit();
        Journal.deleteUpTo(file, newest);
        return newest;
    }

    private static void apply(MVStore store, Journal.Record record) {
        String name = record.map();
        switch (record.type()) {
            case Journal.PUT -> {
                MVMap<Object, Object> map = store.openMap(name, builder(name));
                Object key = map.getKeyType().read(record.data());
                map.put(key, map.getValueType().read(record.data()));
            }
            case Journal.REMOVE -> {
                MVMap<Object, Object> map = store.openMap(name, builder(name));
                map.remove(map.getKeyType().read(record.data()));
            }
            case Journal.DROP -> {
                if (store.hasMap(name)) {
                    store.removeMap(store.openMap(name, builder(name)));
                }
            }
            case Journal.RENAME -> {
                String newName = record.newName();
                if (store.hasMap(newName)) {
                    store.removeMap(store.openMap(newName, builder(newName)));
                }
                store.renameMap(store.openMap(name, builder(name)), newName);
            }
            default -> throw new IllegalStateException("unknown journal record type " + record.type());
        }
    }

    @SuppressWarnings("unchecked")
    private static <K, V> MVMap.Builder<K, V> builder(String name) {
        DataType<?> keyType;
        DataType<?> valueType;
        if (name.startsWith(DOCUMENTS)) {
            keyType = PositionType.INSTANCE;
            valueType = ByteArrayDataType.INSTANCE;
        } else if (name.startsWith(INDEX)) {
            keyType = KeyValueType.INSTANCE;
            valueType = PositionType.INSTANCE;
        } else {
            throw new IllegalArgumentException("not a map of this store: " + name);
        }
        return new MVMap.Builder<K, V>().keyType((DataType<K>) keyType).valueType((DataType<V>) valueType);
    }

    private static MVMap<String, String> formatMap(MVStore store) {
        return store.openMap(FORMAT_MAP, new MVMap.Builder<String, String>()
                .keyType(StringDataType.INSTANCE).valueType(StringDataType.INSTANCE));
    }

    /** Keeps checkpoints out until {@link #endChange()}: for every command that may write. */
    void beginChange() {
        changes.readLock().lock();
    }

    /** Hands the command's last records to the journal; then lets checkpoints in again. */
    void endChange() {
        try {
            journal.endOperation();
        } finally {
            changes.readLock().unlock();
        }
    }

    /** Hands the records of one operation (a document and its index entries) to the journal together. */
    void endOperation() {
        journal.endOperation();
    }

    /** Returns once every change made so far, which the caller may have seen, is in the journal file. */
    void awaitDurable() {
        if (journal.hasUnflushed()) {
            journal.awaitFlushed();
        }
    }

    private void scheduledCheckpoint() {
        try {
            if (store.getUnsavedMemory() > CHECKPOINT_MEMORY_BYTES
                    || System.nanoTime() - lastCheckpoint > settings.checkpointMillis() * 1_000_000L) {
                checkpoint();
            }
        } catch (RuntimeException e) {
            // Keep trying: the journal holds every acknowledged change meanwhile.
            log.error("checkpoint of {} failed", file, e);
        }
    }

    /**
     * Commits the MVStore while every writing command is kept out, but only for as long as the commit takes its
     * snapshot (the chunk is written while they go on), then drops the journal files the commit made redundant and
     * rewrites a little of the sparsest chunks, which the next checkpoint commits.
     */
    void checkpoint() {
        long complete;
        changes.writeLock().lock();
        try {
            lastCheckpoint = System.nanoTime();
            if (store.isClosed() || !store.hasUnsavedChanges()) {
                return;
            }
            complete = journal.rotate();
            formatMap(store).put(CHECKPOINT_KEY, Long.toString(complete));
            if (store.tryCommit() < 0 && store.hasUnsavedChanges()) {
                // Someone held the store's lock: commit the slow way rather than not at all.
                store.commit();
            }
        } finally {
            changes.writeLock().unlock();
        }
        // Returns once the serialization threads are done, with this commit among the rest.
        store.executeFilestoreOperation(() -> { });
        Journal.deleteUpTo(file, complete);
        store.compact(COMPACT_FILL_RATE, COMPACT_BYTES);
    }

    /**
     * Runs a scan that reads a map's pages for a while: the chunks they are in may not be reused meanwhile, however
     * old they are (short reads are covered by the versions the store keeps anyway).
     */
    <T> T scan(Supplier<T> reads) {
        MVStore.TxCounter usage = store.registerVersionUsage();
        try {
            return reads.get();
        } finally {
            store.deregisterVersionUsage(usage);
        }
    }

    /** The databases that have at least one collection. */
    Set<String> databaseNames() {
        Set<String> databases = new TreeSet<>();
        for (String name : store.getMapNames()) {
            if (name.startsWith(DOCUMENTS)) {
                String namespace = name.substring(DOCUMENTS.length());
                databases.add(namespace.substring(0, namespace.indexOf('.')));
            }
        }
        return databases;
    }

    /** The documents of a collection by its full name, {@code db.collection}. */
    JournaledMap<Object, byte[]> documents(String namespace) {
        return journaled(DOCUMENTS + namespace);
    }

    JournaledMap<KeyValue, Object> index(String namespace, String indexName) {
        return journaled(indexMapName(namespace, indexName));
    }

    @SuppressWarnings("unchecked")
    private <K, V> JournaledMap<K, V> journaled(String name) {
        return (JournaledMap<K, V>) maps.computeIfAbsent(name,
                key -> new JournaledMap<>(store.openMap(key, builder(key)), journal, key));
    }

    void removeDocuments(String namespace) {
        removeMap(DOCUMENTS + namespace);
    }

    void removeIndex(String namespace, String indexName) {
        removeMap(indexMapName(namespace, indexName));
    }

    private void removeMap(String name) {
        JournaledMap<?, ?> map = maps.remove(name);
        if (store.hasMap(name)) {
            store.removeMap(map != null ? map.map() : store.openMap(name, builder(name)));
            journal.drop(name);
            journal.endOperation();
        }
    }

    void renameDocuments(String namespace, String newNamespace) {
        renameMap(DOCUMENTS + namespace, DOCUMENTS + newNamespace);
    }

    void renameIndex(String namespace, String newNamespace, String indexName) {
        renameMap(indexMapName(namespace, indexName), indexMapName(newNamespace, indexName));
    }

    private void renameMap(String name, String newName) {
        JournaledMap<?, ?> map = maps.remove(name);
        store.renameMap(map != null ? map.map() : store.openMap(name, builder(name)), newName);
        if (map != null) {
            map.rename(newName);
            maps.put(newName, map);
        }
        journal.rename(name, newName);
        journal.endOperation();
    }

    private static String indexMapName(String namespace, String indexName) {
        return INDEX + namespace + "$" + indexName;
    }

    long fileSize() {
        FileStore<?> fileStore = store.getFileStore();
        return fileStore == null ? 0 : fileStore.size();
    }

    /**
     * Checkpoints, then closes the journal and the MVStore, which commits anything left; the journal files go only
     * then. A store that failed (the MVStore closes itself on a write error) keeps them for the next start.
     */
    @Override
    public void close() {
        checkpoints.shutdown();
        try {
            checkpoints.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean healthy = !store.isClosed();
        if (healthy) {
            checkpoint();
        }
        journal.close();
        if (healthy) {
            store.close();
            Journal.deleteUpTo(file, Long.MAX_VALUE);
        }
    }
}
