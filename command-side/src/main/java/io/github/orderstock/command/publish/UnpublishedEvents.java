package io.github.orderstock.command.publish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;

/**
 * What this process knows of every product stream that is not yet on Kafka: how far each is stored and acknowledged,
 * the stored events it holds in memory (at most {@code maxHeld}), and which streams have something to send. Pure
 * state behind one lock; the event store's thread adds to it, the publisher's thread takes rounds from it and reports
 * what the broker acknowledged.
 */
final class UnpublishedEvents {

    /** A stream whose events are not in memory contributes at most this many to a round's budget before it is read. */
    static final int STORE_READ_SHARE = 100;

    private final int maxHeld;
    private final Object lock = new Object();
    private final Map<String, ProductStream> streams = new HashMap<>();
    private final Set<String> dirty = new LinkedHashSet<>();
    private int held;
    private boolean closed;

    UnpublishedEvents(int maxHeld) {
        this.maxHeld = maxHeld;
    }

    /** A stream with nothing stored nor published yet. */
    void register(String aggregateId) {
        synchronized (lock) {
            streams.computeIfAbsent(aggregateId, id -> new ProductStream(-1, false));
        }
    }

    /**
     * After a restart any known stream may hold events this process never saw: each one's tail is probed once, from
     * the position recorded for it.
     */
    void probeAfterRestart(Map<String, Long> publishedUpTo) {
        synchronized (lock) {
            closed = false;
            publishedUpTo.forEach((id, upTo) -> {
                ProductStream stream = streams.get(id);
                if (stream == null) {
                    streams.put(id, new ProductStream(upTo, true));
                } else {
                    stream.probe = true;
                    held -= stream.publishedUpTo(upTo);
                }
            });
            dirty.addAll(publishedUpTo.keySet());
        }
    }

    /** The events of one unit of work, right after the event store stored them. */
    void stored(List<? extends EventMessage<?>> events) {
        synchronized (lock) {
            for (EventMessage<?> event : events) {
                if (event instanceof DomainEventMessage<?> domain) {
                    ProductStream stream = streams.computeIfAbsent(domain.getAggregateIdentifier(),
                            id -> new ProductStream(-1, false));
                    long sequence = domain.getSequenceNumber();
                    stream.stored = Math.max(stream.stored, sequence);
                    if (sequence > stream.published && held < maxHeld
                            && stream.held.put(sequence, domain) == null) {
                        held++;
                    }
                    dirty.add(domain.getAggregateIdentifier());
                }
            }
            lock.notifyAll();
        }
    }

    /**
     * Waits up to {@code maxWait} until some stream has events to send, then takes up to {@code maxBatch} of them,
     * each stream from its first unacknowledged event on. Empty when nothing came (or after {@link #close()}).
     */
    List<StreamBatch> awaitRound(int maxBatch, Duration maxWait) {
        synchronized (lock) {
            if (dirty.isEmpty() && !closed) {
                try {
                    lock.wait(maxWait.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (dirty.isEmpty()) {
                return List.of();
            }
            List<StreamBatch> round = new ArrayList<>();
            int budget = maxBatch;
            Iterator<String> ids = dirty.iterator();
            while (ids.hasNext() && budget > 0) {
                String id = ids.next();
                ids.remove();
                ProductStream stream = streams.get(id);
                long from = stream.published + 1;
                if (!stream.probe && stream.stored < from) {
                    continue;
                }
                List<DomainEventMessage<?>> events = stream.probe ? null : stream.heldFrom(from, budget);
                if (events != null) {
                    budget -= events.size();
                    round.add(StreamBatch.inMemory(id, from, events));
                } else {
                    budget -= Math.min(budget, STORE_READ_SHARE);
                    round.add(StreamBatch.fromStore(id, from, stream.probe));
                }
            }
            return round;
        }
    }

    /**
     * Moves each stream of the round over the events the broker acknowledged without a gap, forgets those events,
     * and marks every stream that still has something to send. Answers how many events were newly acknowledged.
     */
    long acknowledged(List<StreamBatch> round) {
        long count = 0;
        synchronized (lock) {
            for (StreamBatch batch : round) {
                ProductStream stream = streams.get(batch.aggregateId);
                long upTo = batch.acknowledgedUpTo();
                if (batch.acknowledged > 0 && upTo > stream.published) {
                    count += upTo - stream.published;
                    held -= stream.publishedUpTo(upTo);
                }
                if (batch.probe && batch.complete() && batch.reachedEnd) {
                    stream.probe = false;
                }
                if (stream.probe || stream.stored > stream.published) {
                    dirty.add(batch.aggregateId);
                }
            }
        }
        return count;
    }

    /**
     * Moves streams over what another instance has published (their positions as recorded in MongoDB) and answers
     * the round with each batch that is to be read from the store starting after that instead. Batches in memory stay
     * as they are: this process saw every event since their start.
     */
    List<StreamBatch> publishedElsewhere(List<StreamBatch> round, Map<String, Long> publishedUpTo) {
        List<StreamBatch> adjusted = new ArrayList<>(round.size());
        synchronized (lock) {
            for (StreamBatch batch : round) {
                Long upTo = publishedUpTo.get(batch.aggregateId);
                if (!batch.fromStore || upTo == null || upTo < batch.from) {
                    adjusted.add(batch);
                    continue;
                }
                ProductStream stream = streams.get(batch.aggregateId);
                held -= stream.publishedUpTo(upTo);
                adjusted.add(batch.from(upTo + 1));
            }
        }
        return adjusted;
    }

    /** The round could not be sent at all: its streams are taken again by a later round. */
    void retry(List<StreamBatch> round) {
        synchronized (lock) {
            round.forEach(batch -> dirty.add(batch.aggregateId));
        }
    }

    /** Events this process knows of that the broker has not acknowledged. */
    long count() {
        synchronized (lock) {
            return streams.values().stream().mapToLong(s -> Math.max(0, s.stored - s.published)).sum();
        }
    }

    /** Events held in memory until the broker acknowledges them. */
    int held() {
        synchronized (lock) {
            return held;
        }
    }

    /** Wakes a waiting {@link #awaitRound}; rounds no longer wait until {@link #probeAfterRestart} opens again. */
    void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }

    /** What this process knows of one product's stream. */
    private static final class ProductStream {
        long stored;
        long published;
        boolean probe;
        final TreeMap<Long, DomainEventMessage<?>> held = new TreeMap<>();

        ProductStream(long published, boolean probe) {
            this.published = published;
            this.stored = published;
            this.probe = probe;
        }

        /** Moves the published position forward to {@code upTo}; answers how many held events it let go. */
        int publishedUpTo(long upTo) {
            if (upTo <= published) {
                return 0;
            }
            published = upTo;
            stored = Math.max(stored, upTo);
            var done = held.headMap(upTo, true);
            int released = done.size();
            done.clear();
            return released;
        }

        /** The held events from {@code from} up to what is stored, at most {@code max}; null if one is missing. */
        List<DomainEventMessage<?>> heldFrom(long from, int max) {
            List<DomainEventMessage<?>> events = new ArrayList<>();
            for (long sequence = from; sequence <= stored && events.size() < max; sequence++) {
                DomainEventMessage<?> event = held.get(sequence);
                if (event == null) {
                    return null;
                }
                events.add(event);
            }
            return events;
        }
    }
}
