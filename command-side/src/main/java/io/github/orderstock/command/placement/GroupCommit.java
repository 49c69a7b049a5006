package io.github.orderstock.command.placement;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Group commit: callers that submit an item for a key while a batch for that key is being handled wait in line, and
 * the first of them then handles everything that waits, up to {@code maxBatch} items, in one call. A caller alone
 * handles its own item at once, so nothing waits for a timer; under load one round trip serves many callers. Every
 * caller gets its own item's result or the batch's failure, and returns only once its item was handled.
 * <p>
 * Keys are independent: batches of different keys run at the same time, in the callers' threads. Each caller names
 * the handler at the call ({@link #submit}); the caller that leads a batch runs its own, so all callers of one
 * instance pass the same one.
 */
final class GroupCommit<K, T, R> {

    /** Handles a batch of items of one key; answers one result per item, in the items' order. */
    @FunctionalInterface
    interface BatchHandler<K, T, R> {
        List<R> handle(K key, List<T> items);
    }

    private final Map<K, Lane<T, R>> lanes = new ConcurrentHashMap<>();
    private final int maxBatch;

    GroupCommit(int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, not " + maxBatch);
        }
        this.maxBatch = maxBatch;
    }

    /**
     * Handles {@code item} with {@code handler}, in a batch of its key, and answers its result, or throws the
     * batch's failure.
     */
    R submit(K key, T item, BatchHandler<K, T, R> handler) {
        Waiter<T, R> waiter = new Waiter<>(item);
        Lane<T, R> lane;
        boolean lead;
        while (true) {
            lane = lanes.computeIfAbsent(key, k -> new Lane<>());
            synchronized (lane) {
                if (lane.retired) {
                    continue;
                }
                lane.queue.add(waiter);
                lead = !lane.busy;
                lane.busy = true;
                break;
            }
        }
        if (lead || waiter.awaitTurn()) {
            handleNextBatch(key, lane, handler);
        }
        return waiter.result();
    }

    /** How many callers of {@code key} wait for their batch (tests watch it). */
    int waiting(K key) {
        Lane<T, R> lane = lanes.get(key);
        if (lane == null) {
            return 0;
        }
        synchronized (lane) {
            return lane.queue.size();
        }
    }

    /** Handles the batch at the head of the lane (it holds the caller's own item), then hands the lane on. */
    private void handleNextBatch(K key, Lane<T, R> lane, BatchHandler<K, T, R> handler) {
        List<Waiter<T, R>> batch = new ArrayList<>();
        synchronized (lane) {
            while (!lane.queue.isEmpty() && batch.size() < maxBatch) {
                batch.add(lane.queue.poll());
            }
        }
        try {
            List<T> items = new ArrayList<>(batch.size());
            batch.forEach(waiter -> items.add(waiter.item));
            List<R> results = handler.handle(key, items);
            if (results.size() != batch.size()) {
                throw new IllegalStateException("A batch of %d items for '%s' answered %d results"
                        .formatted(batch.size(), key, results.size()));
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).complete(results.get(i));
            }
        } catch (Throwable failure) {
            batch.forEach(waiter -> waiter.fail(failure));
        } finally {
            Waiter<T, R> next;
            synchronized (lane) {
                next = lane.queue.peek();
                if (next == null) {
                    lane.busy = false;
                    lane.retired = true;
                    lanes.remove(key, lane);
                }
            }
            if (next != null) {
                next.lead();
            }
        }
    }

    /** The callers waiting for one key; retired (and replaced by a new lane) once it ran empty. */
    private static final class Lane<T, R> {
        final ArrayDeque<Waiter<T, R>> queue = new ArrayDeque<>();
        boolean busy;
        boolean retired;
    }

    private static final class Waiter<T, R> {
        final T item;
        private boolean done;
        private boolean leading;
        private R result;
        private Throwable failure;

        Waiter(T item) {
            this.item = item;
        }

        /**
         * Waits until the item was handled (false) or this caller is to handle the next batch (true). Not
         * interruptible: the item is in line and will be handled, and the lane may be handed to this caller.
         */
        synchronized boolean awaitTurn() {
            boolean interrupted = false;
            while (!done && !leading) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return !done;
        }

        synchronized void lead() {
            leading = true;
            notifyAll();
        }

        synchronized void complete(R value) {
            result = value;
            done = true;
            notifyAll();
        }

        synchronized void fail(Throwable cause) {
            failure = cause;
            done = true;
            notifyAll();
        }

        synchronized R result() {
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            return result;
        }
    }
}
