package io.github.orderstock.devstack.mongo;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.util.Locale;
import java.util.Set;

/**
 * The stand-in's durable backend before {@link DurableBsonBackend}, kept as it was (mongo-java-server's H2Backend,
 * Java-serialized documents, group commit) as the benchmark's baseline and as the writer of old-format files.
 */
final class OldDurableH2Backend extends H2Backend {

    private static final Set<String> WRITES = Set.of("insert", "update", "delete", "findandmodify",
            "createindexes", "dropindexes", "drop", "dropdatabase", "create", "renamecollection");

    private final Object commits = new Object();
    private long requested;
    private long committed;
    private boolean committing;

    OldDurableH2Backend(String fileName) {
        super(fileName);
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        try {
            return super.handleCommand(channel, database, command, query);
        } finally {
            if (WRITES.contains(command.toLowerCase(Locale.ROOT)) || getMvStore().hasUnsavedChanges()) {
                awaitCommit();
            }
        }
    }

    private void awaitCommit() {
        long target;
        synchronized (commits) {
            target = ++requested;
        }
        while (true) {
            long upTo;
            synchronized (commits) {
                while (committed < target && committing) {
                    try {
                        commits.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (committed >= target) {
                    return;
                }
                committing = true;
                upTo = requested;
            }
            try {
                commit();
            } finally {
                synchronized (commits) {
                    committing = false;
                    committed = Math.max(committed, upTo);
                    commits.notifyAll();
                }
            }
        }
    }
}
