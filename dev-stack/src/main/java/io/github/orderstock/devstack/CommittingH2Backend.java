package io.github.orderstock.devstack;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.nio.file.Path;
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
    public void close() {
        closing = true;
        super.close();
    }
}
