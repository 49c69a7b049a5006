package io.github.orderstock.devstack.mongo;

/**
 * How the MVStore is opened. The defaults are what StandInBenchmark measured best; it can vary each of them.
 *
 * @param cacheMb the read cache of pages, in MB
 * @param pageSplitSize the bytes at which a page is split
 * @param retentionMs how long a chunk is kept after it was written before its space may be reused: the MVStore's
 *     default, 45 s, is meant for disks that reorder writes, which a {@code kill -9} does not do, and left hundreds of
 *     MB of dead chunks in the file under random updates
 * @param versionsToKeep how many checkpoints back a reader that did not announce itself may still read
 * @param checkpointMillis how long changes may wait in the journal for a checkpoint
 */
record StoreSettings(int cacheMb, int pageSplitSize, int retentionMs, int versionsToKeep, int checkpointMillis) {

    static final StoreSettings DEFAULT = new StoreSettings(128, 16 * 1024, 0, 2, 1_000);
}
