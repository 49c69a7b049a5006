package io.github.orderstock.query.config;

import java.util.Collection;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.Buffer;

/**
 * Hands records to the processor in the order they were fetched. The fetcher gives each record a token that includes
 * every record fetched before it; the extension's default buffer re-sorts records across partitions by timestamp, so
 * a later-fetched record could be processed first and the stored token then lacked partitions (a replay over several
 * partitions never completed, and those partitions were re-read after each restart). Within a partition, fetch order
 * is offset order, which is all a product's stream needs.
 */
class FetchOrderBuffer<E> implements Buffer<E> {

    private final LinkedBlockingQueue<E> queue;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    FetchOrderBuffer(int capacity) {
        this.queue = new LinkedBlockingQueue<>(capacity);
    }

    @Override
    public void put(E element) throws InterruptedException {
        queue.put(element);
    }

    @Override
    public void putAll(Collection<E> elements) throws InterruptedException {
        for (E element : elements) {
            queue.put(element);
        }
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        throwIfFailed();
        return queue.poll(timeout, unit);
    }

    @Override
    public E take() throws InterruptedException {
        throwIfFailed();
        return queue.take();
    }

    @Override
    public E peek() {
        throwIfFailed();
        return queue.peek();
    }

    @Override
    public int size() {
        return queue.size();
    }

    @Override
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    @Override
    public int remainingCapacity() {
        return queue.remainingCapacity();
    }

    @Override
    public void clear() {
        queue.clear();
    }

    @Override
    public void setException(RuntimeException exception) {
        failure.set(exception);
    }

    private void throwIfFailed() {
        RuntimeException exception = failure.get();
        if (exception != null) {
            throw exception;
        }
    }
}
