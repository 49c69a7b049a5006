package io.github.orderstock.devstack.mongo;

import de.bwaldvogel.mongo.exception.MongoServerException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.DataType;

/**
 * The redo journal: every change to a map since the last checkpoint, in files {@code <store>.journal.<generation>}.
 * A thread collects the records of one operation (a document with its index entries) and hands them over together;
 * a flush writes everything handed over as one frame (length, CRC-32C, records), so a frame torn by a kill is
 * recognised and dropped on replay with the operations of its unacknowledged commands. Flushes are grouped: the first
 * command that waits writes the frame for every command waiting with it.
 */
final class Journal implements AutoCloseable {

    static final byte PUT = 1;
    static final byte REMOVE = 2;
    static final byte DROP = 3;
    static final byte RENAME = 4;

    private static final int FRAME_HEADER = 8;

    private final Path store;
    private final ThreadLocal<WriteBuffer> operation = ThreadLocal.withInitial(() -> new WriteBuffer(4096));

    private final Object appendLock = new Object();
    private WriteBuffer pending = newFrame();
    private WriteBuffer spare = newFrame();
    private long appended;

    private final Object flushLock = new Object();
    private long flushed;
    private boolean flushing;
    // Touched only with the flush turn.
    private FileChannel file;
    private long generation;
    private volatile IOException failure;

    /** Starts writing generation {@code generation}; older files must have been replayed and checkpointed. */
    Journal(Path store, long generation) {
        this.store = store;
        this.generation = generation;
        this.file = open(generation);
    }

    <K, V> void put(String map, DataType<K> keyType, K key, DataType<V> valueType, V value) {
        WriteBuffer records = record(PUT, map);
        keyType.write(records, key);
        valueType.write(records, value);
    }

    <K> void remove(String map, DataType<K> keyType, K key) {
        keyType.write(record(REMOVE, map), key);
    }

    void drop(String map) {
        record(DROP, map);
    }

    void rename(String map, String newName) {
        putString(record(RENAME, map), newName);
    }

    private WriteBuffer record(byte type, String map) {
        WriteBuffer records = operation.get();
        putString(records.put(type), map);
        return records;
    }

    /** Hands this thread's records over for the next flush, as one unit. */
    void endOperation() {
        WriteBuffer records = operation.get();
        if (records.position() == 0) {
            return;
        }
        ByteBuffer bytes = records.getBuffer();
        bytes.flip();
        synchronized (appendLock) {
            pending.put(bytes);
            appended++;
        }
        records.clear();
    }

    boolean hasUnflushed() {
        long target;
        synchronized (appendLock) {
            target = appended;
        }
        synchronized (flushLock) {
            return flushed < target;
        }
    }

    /** Returns once everything handed over before the call is in the journal file. */
    void awaitFlushed() {
        long target;
        synchronized (appendLock) {
            target = appended;
        }
        while (true) {
            if (!takeFlushTurn(target)) {
                return;
            }
            try {
                writePending();
            } finally {
                releaseFlushTurn();
            }
        }
    }

    /** Waits while another thread flushes; true if this one must flush to reach {@code target}. */
    private boolean takeFlushTurn(long target) {
        synchronized (flushLock) {
            while (flushed < target && flushing) {
                try {
                    flushLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new MongoServerException("interrupted while waiting for the journal");
                }
            }
            if (flushed >= target) {
                return false;
            }
            flushing = true;
            return true;
        }
    }

    private void releaseFlushTurn() {
        synchronized (flushLock) {
            flushing = false;
            flushLock.notifyAll();
        }
    }

    /**
     * Runs with the flush turn. A failed write stops the journal for good: what it failed to write, and everything
     * after, is never acknowledged, and the stand-in must be restarted (it then replays what did reach the file).
     */
    private void writePending() {
        if (failure != null) {
            throw new MongoServerException("the journal failed earlier: " + failure.getMessage(), failure);
        }
        WriteBuffer frame;
        long upTo;
        synchronized (appendLock) {
            frame = pending;
            pending = spare;
            upTo = appended;
        }
        ByteBuffer bytes = frame.getBuffer();
        int length = bytes.position() - FRAME_HEADER;
        if (length > 0) {
            var crc = new CRC32C();
            crc.update(bytes.array(), FRAME_HEADER, length);
            bytes.putInt(0, length).putInt(4, (int) crc.getValue());
            bytes.flip();
            try {
                while (bytes.hasRemaining()) {
                    file.write(bytes);
                }
            } catch (IOException e) {
                failure = e;
                throw new UncheckedIOException("cannot write the journal " + path(generation), e);
            }
        }
        frame.clear().position(FRAME_HEADER);
        synchronized (appendLock) {
            spare = frame;
        }
        synchronized (flushLock) {
            flushed = Math.max(flushed, upTo);
        }
    }

    /**
     * Writes what is pending into the current file and continues in a new one. The caller must keep every writer
     * out, so that the state it then commits holds exactly the returned generation and the ones before.
     */
    long rotate() {
        takeFlushTurn(Long.MAX_VALUE);
        try {
            writePending();
            long complete = generation;
            FileChannel next = open(complete + 1);
            close(file);
            file = next;
            generation = complete + 1;
            return complete;
        } finally {
            releaseFlushTurn();
        }
    }

    /** Deletes the journal files of {@code store} up to generation {@code complete}, which a commit made redundant. */
    static void deleteUpTo(Path store, long complete) {
        for (long g : generations(store)) {
            if (g <= complete) {
                try {
                    Files.deleteIfExists(path(store, g));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    @Override
    public void close() {
        takeFlushTurn(Long.MAX_VALUE);
        try {
            writePending();
            close(file);
        } finally {
            releaseFlushTurn();
        }
    }

    private FileChannel open(long g) {
        try {
            return FileChannel.open(path(g), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal " + path(g), e);
        }
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path path(long g) {
        return path(store, g);
    }

    private static Path path(Path store, long g) {
        return store.resolveSibling(store.getFileName() + ".journal." + g);
    }

    /** The generations of the journal files next to {@code store}, oldest first. */
    static List<Long> generations(Path store) {
        String prefix = store.getFileName() + ".journal.";
        List<Long> generations = new ArrayList<>();
        try (Stream<Path> files = Files.list(store.toAbsolutePath().getParent())) {
            files.map(file -> file.getFileName().toString())
                    .filter(name -> name.startsWith(prefix) && name.substring(prefix.length()).matches("\\d+"))
                    .forEach(name -> generations.add(Long.parseLong(name.substring(prefix.length()))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        generations.sort(null);
        return generations;
    }

    /**
     * Hands every record of the file's intact frames, in order, to {@code apply}, which reads the record's keys and
     * values from the buffer after its type and map name; stops at the first torn or damaged frame.
     */
    static void replay(Path store, long g, Consumer<Record> apply) {
        ByteBuffer bytes;
        try {
            bytes = ByteBuffer.wrap(Files.readAllBytes(path(store, g)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        while (bytes.remaining() >= FRAME_HEADER) {
            int length = bytes.getInt();
            int checksum = bytes.getInt();
            if (length <= 0 || length > bytes.remaining()) {
                return;
            }
            var crc = new CRC32C();
            crc.update(bytes.array(), bytes.position(), length);
            if ((int) crc.getValue() != checksum) {
                return;
            }
            ByteBuffer frame = bytes.slice(bytes.position(), length);
            bytes.position(bytes.position() + length);
            while (frame.hasRemaining()) {
                byte type = frame.get();
                apply.accept(new Record(type, getString(frame), frame));
            }
        }
    }

    /** A record being replayed: its keys and values are next in {@code data}. */
    record Record(byte type, String map, ByteBuffer data) {

        String newName() {
            return getString(data);
        }
    }

    private static void putString(WriteBuffer buffer, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        buffer.putVarInt(utf8.length).put(utf8);
    }

    private static String getString(ByteBuffer buffer) {
        byte[] utf8 = new byte[DataUtils.readVarInt(buffer)];
        buffer.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static WriteBuffer newFrame() {
        WriteBuffer frame = new WriteBuffer(64 * 1024);
        frame.position(FRAME_HEADER);
        return frame;
    }
}
