package io.github.orderstock.query.watch;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code app.watch.*}: how often lag, replay and dead letters are sampled, and the live page's bounds.
 *
 * @param sampleEvery    how often the topic's end offsets, the replay and the dead letters are read; also how often
 *                       each live client gets the status (its heartbeat)
 * @param lagMemory      how far back end offsets are remembered to tell the lag in seconds
 * @param maxClients     live streams open at once; more are answered 503 with Retry-After
 * @param firstProducts  products a new live client gets at once (by id); more appear as they change
 * @param pushEvery      stock changes are pushed at most this often, each product once per push
 * @param maxPerPush     products read and pushed at most per push; the rest follow in the next
 * @param streamTimeout  a live stream is closed after this long (the page reconnects)
 */
@ConfigurationProperties("app.watch")
public record WatchSettings(@DefaultValue("1s") Duration sampleEvery, @DefaultValue("1h") Duration lagMemory,
                            @DefaultValue("100") int maxClients, @DefaultValue("200") int firstProducts,
                            @DefaultValue("100ms") Duration pushEvery, @DefaultValue("500") int maxPerPush,
                            @DefaultValue("30m") Duration streamTimeout) {
}
