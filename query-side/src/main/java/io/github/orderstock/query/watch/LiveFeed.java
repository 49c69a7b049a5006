package io.github.orderstock.query.watch;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.orderstock.query.stock.StockLevel;
import io.github.orderstock.query.stock.StockLevels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Pushes the live page its data over one stream per client, from one thread: a new client first gets a
 * {@code snapshot} (the first products by id, and the status); then {@code stock} with every product that changed
 * since the last push (read by key, at most {@code max-per-push}, at most every {@code push-every}), and
 * {@code status} every {@code sample-every} (lag, dead letters, and for the admin the replay), which is also the
 * heartbeat that tells a client, and the server, that the stream is alive. A client whose stream fails is dropped.
 * At most {@code max-clients} streams are open at once. Nothing here reads a collection in full.
 */
@Component
public class LiveFeed implements SmartLifecycle {

    /** One open stream. Sends come from the feed's thread only. */
    public interface Client {

        /** Whether the stream was opened with the admin's credentials: only then does it carry the replay. */
        boolean admin();

        void send(String event, Object data) throws IOException;

        /** Ends the stream (the client went away, or the feed stops). */
        void close();
    }

    /** The first products a client gets; {@code limit} tells it how many it may show before it stops adding. */
    public record Snapshot(List<StockLevel> products, int limit, WatchStatus status) {
    }

    /** Products whose stock changed. */
    public record Stock(List<StockLevel> products) {
    }

    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);

    private final StockLevels stock;
    private final WatchSampler sampler;
    private final WatchSettings settings;
    private final Object lock = new Object();
    private final Set<String> changed = new LinkedHashSet<>();
    private final List<Client> fresh = new ArrayList<>();
    private final List<Client> clients = new CopyOnWriteArrayList<>();
    /** Every registered client, welcomed or not; its size is what {@code max-clients} bounds. */
    private final Set<Client> members = new HashSet<>();
    private volatile boolean running;
    private Thread worker;

    LiveFeed(StockLevels stock, WatchSampler sampler, WatchSettings settings) {
        this.stock = stock;
        this.sampler = sampler;
        this.settings = settings;
    }

    /** Takes a new client, unless {@code max-clients} streams are open; answers whether it was taken. */
    public boolean register(Client client) {
        synchronized (lock) {
            if (members.size() >= settings.maxClients()) {
                return false;
            }
            members.add(client);
            fresh.add(client);
            lock.notifyAll();
            return true;
        }
    }

    /** The client's stream ended (completed, timed out or failed); frees its place. Repeating it changes nothing. */
    public void unregister(Client client) {
        synchronized (lock) {
            members.remove(client);
            fresh.remove(client);
            clients.remove(client);
        }
    }

    /** Open streams. */
    public int clients() {
        synchronized (lock) {
            return members.size();
        }
    }

    /** Products whose stock the projection just committed. Kept only while somebody watches. */
    void changed(Collection<String> productIds) {
        synchronized (lock) {
            if (members.isEmpty()) {
                return;
            }
            changed.addAll(productIds);
            lock.notifyAll();
        }
    }

    private void run() {
        long nextStatus = 0;
        long nextPush = 0;
        while (running) {
            List<Client> newcomers;
            List<String> ids = new ArrayList<>();
            boolean statusDue;
            synchronized (lock) {
                long now = System.nanoTime();
                long wait = Math.max(1, Math.min(nextStatus - now,
                        changed.isEmpty() ? Long.MAX_VALUE : nextPush - now) / 1_000_000);
                if (fresh.isEmpty() && (changed.isEmpty() || now < nextPush) && now < nextStatus) {
                    try {
                        lock.wait(wait);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                now = System.nanoTime();
                newcomers = new ArrayList<>(fresh);
                fresh.clear();
                if (now >= nextPush) {
                    for (Iterator<String> it = changed.iterator(); it.hasNext() && ids.size() < settings.maxPerPush(); ) {
                        ids.add(it.next());
                        it.remove();
                    }
                }
                statusDue = now >= nextStatus;
            }
            try {
                welcome(newcomers);
                if (!ids.isEmpty()) {
                    broadcast("stock", new Stock(stock.byIds(ids)), null);
                    nextPush = System.nanoTime() + settings.pushEvery().toNanos();
                }
                if (statusDue) {
                    WatchStatus status = sampler.latest();
                    broadcast("status", status.withoutReplay(), status);
                    nextStatus = System.nanoTime() + settings.sampleEvery().toNanos();
                }
            } catch (RuntimeException e) {
                // MongoDB unreachable: the changed products are lost for this push; the next change of each, or a
                // reconnect's snapshot, shows them again. Wait a status interval before trying again.
                log.debug("Live feed could not read the stock", e);
                nextStatus = System.nanoTime() + settings.sampleEvery().toNanos();
                sleepQuietly(settings.sampleEvery());
            }
        }
    }

    private void welcome(List<Client> newcomers) {
        if (newcomers.isEmpty()) {
            return;
        }
        List<StockLevel> first = stock.first(settings.firstProducts());
        WatchStatus status = sampler.latest();
        for (Client client : newcomers) {
            if (send(client, "snapshot", new Snapshot(first, settings.firstProducts(),
                    client.admin() ? status : status.withoutReplay()))) {
                synchronized (lock) {
                    if (members.contains(client)) {
                        clients.add(client);
                    }
                }
            }
        }
    }

    /** Sends {@code data} to every client, or {@code adminData} to the admin's when given. */
    private void broadcast(String event, Object data, Object adminData) {
        for (Client client : clients) {
            if (!send(client, event, adminData != null && client.admin() ? adminData : data)) {
                clients.remove(client);
            }
        }
    }

    private boolean send(Client client, String event, Object data) {
        try {
            client.send(event, data);
            return true;
        } catch (IOException | RuntimeException e) {
            log.debug("Dropping a live client whose stream failed", e);
            unregister(client);
            client.close();
            return false;
        }
    }

    private void sleepQuietly(Duration pause) {
        synchronized (lock) {
            try {
                lock.wait(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void start() {
        running = true;
        worker = new Thread(this::run, "live-feed");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void stop() {
        running = false;
        synchronized (lock) {
            lock.notifyAll();
        }
        if (worker != null) {
            worker.interrupt();
        }
        // Before the web server's graceful shutdown, which would otherwise wait for every open stream to end.
        List<Client> open;
        synchronized (lock) {
            open = new ArrayList<>(members);
        }
        open.forEach(Client::close);
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
