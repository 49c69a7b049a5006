package io.github.orderstock.devstack.mongo;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;

/** An MVMap whose every change is also recorded in the {@link Journal}, under the map's current name. */
final class JournaledMap<K, V> {

    private final MVMap<K, V> map;
    private final Journal journal;
    private volatile String name;

    JournaledMap(MVMap<K, V> map, Journal journal, String name) {
        this.map = map;
        this.journal = journal;
        this.name = name;
    }

    V get(K key) {
        return map.get(key);
    }

    boolean containsKey(K key) {
        return map.containsKey(key);
    }

    V put(K key, V value) {
        V previous = map.put(key, value);
        journal.put(name, map.getKeyType(), key, map.getValueType(), value);
        return previous;
    }

    V putIfAbsent(K key, V value) {
        V previous = map.putIfAbsent(key, value);
        if (previous == null) {
            journal.put(name, map.getKeyType(), key, map.getValueType(), value);
        }
        return previous;
    }

    V remove(K key) {
        V previous = map.remove(key);
        if (previous != null) {
            journal.remove(name, map.getKeyType(), key);
        }
        return previous;
    }

    long size() {
        return map.sizeAsLong();
    }

    boolean isEmpty() {
        return map.isEmpty();
    }

    Cursor<K, V> cursor(boolean reverse) {
        return map.cursor(null, null, reverse);
    }

    Set<Map.Entry<K, V>> entrySet() {
        return map.entrySet();
    }

    Collection<V> values() {
        return map.values();
    }

    MVMap<K, V> map() {
        return map;
    }

    String name() {
        return name;
    }

    void rename(String newName) {
        name = newName;
    }
}
