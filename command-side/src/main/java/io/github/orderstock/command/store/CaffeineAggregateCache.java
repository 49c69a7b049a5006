package io.github.orderstock.command.store;

import java.util.function.UnaryOperator;

import com.github.benmanes.caffeine.cache.Caffeine;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;

/**
 * Axon's aggregate cache on Caffeine: at most {@code maximumSize} products, each held softly so memory pressure (not
 * every young collection, as with Axon's {@code WeakReferenceCache}) decides when a product is loaded again.
 * Under load the weak cache lost products between two orders, and each order then read its product's snapshot and
 * up to 500 events from the store.
 */
public class CaffeineAggregateCache implements Cache {

    private final com.github.benmanes.caffeine.cache.Cache<Object, Object> cache;

    public CaffeineAggregateCache(long maximumSize) {
        this.cache = Caffeine.newBuilder().maximumSize(maximumSize).softValues().build();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
        return (V) cache.getIfPresent(key);
    }

    @Override
    public void put(Object key, Object value) {
        cache.put(key, value);
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        return cache.asMap().putIfAbsent(key, value) == null;
    }

    @Override
    public boolean remove(Object key) {
        return cache.asMap().remove(key) != null;
    }

    @Override
    public void removeAll() {
        cache.invalidateAll();
    }

    @Override
    public boolean containsKey(Object key) {
        return cache.asMap().containsKey(key);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
        cache.asMap().computeIfPresent(key, (k, value) -> update.apply((V) value));
    }

    /** Axon's repositories do not listen to the aggregate cache; entry events are not offered. */
    @Override
    public Registration registerCacheEntryListener(EntryListener cacheEntryListener) {
        return () -> true;
    }
}
