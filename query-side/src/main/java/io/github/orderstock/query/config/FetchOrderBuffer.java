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
 * is offset order, which is all a product's stream needs. A bounded FIFO queue that hands the fetcher's failure to
 * whoever takes from it next.
 */
class FetchOrderBuffer<E> extends LinkedBlockingQueue<E> implements Buffer<E> {

    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    FetchOrderBuffer(int capacity) {
        super(capacity);
    }

    @Override
    public void putAll(Collection<E> elements) throws InterruptedException {
        for (E element : elements) {
            put(element);
        }
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        throwIfFailed();
        return super.poll(timeout, unit);
    }

    @Override
    public E take() throws InterruptedException {
        throwIfFailed();
        return super.take();
    }

    @Override
    public E peek() {
        throwIfFailed();
        return super.peek();
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
