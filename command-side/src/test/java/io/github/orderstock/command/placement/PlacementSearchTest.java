package io.github.orderstock.command.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.github.orderstock.command.placement.PlacementSearch.Result;
import io.github.orderstock.events.OrderPlacedEvent;
import io.github.orderstock.events.ProductAddedEvent;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The search on Axon's in-memory storage engine: one product with 50,000 orders, one every 10 ms. */
class PlacementSearchTest {

    private static final Instant START = Instant.parse("2026-11-30T08:00:00Z");
    private static final int ORDERS = 50_000;
    private static final Duration EVERY = Duration.ofMillis(10);
    /** Doubling steps to a bound, then a binary search: about 17 reads each over 50,000 events, and two more. */
    private static final int LOGARITHMIC_PROBES = 2 * 17 + 2;

    private final InMemoryEventStorageEngine events = new InMemoryEventStorageEngine();
    private final PlacementSearch search = new PlacementSearch(events);

    @BeforeEach
    void oneProductWithManyOrders() {
        events.appendEvents(event(0, new ProductAddedEvent("p", "P", 1_000_000), START));
        for (int i = 1; i <= ORDERS; i++) {
            events.appendEvents(event(i, new OrderPlacedEvent("o-" + i, "p", 1), placedAt(i)));
        }
    }

    @Test
    void findsAPlacementInItsWindowReadingOnlyTheWindowAndLogarithmicallyManyProbes() {
        Result result = search.find("p", "o-30000", placedAt(30_000).minusSeconds(2), placedAt(30_000).plusSeconds(12));

        assertThat(result.placed()).isTrue();
        assertThat(result.probes()).isLessThanOrEqualTo(LOGARITHMIC_PROBES);
        assertThat(result.scanned()).as("events from the window's start to the placement").isEqualTo(201);
    }

    @Test
    void findsNothingWhenThePlacementLiesOutsideTheWindowAndReadsNoFurther() {
        Result result = search.find("p", "o-30000", placedAt(10_000), placedAt(10_000).plusSeconds(14));

        assertThat(result.placed()).isFalse();
        assertThat(result.scanned()).as("the window's 1,401 events and the first one after it").isEqualTo(1_402);
    }

    @Test
    void findsNothingInAWindowAfterTheStreamsEnd() {
        Instant later = START.plus(Duration.ofHours(1));

        Result result = search.find("p", "o-1", later, later.plusSeconds(14));

        assertThat(result.placed()).isFalse();
        assertThat(result.scanned()).isZero();
        assertThat(result.probes()).isLessThanOrEqualTo(LOGARITHMIC_PROBES);
    }

    @Test
    void readsToTheStreamsEndForAClaimWithoutAWindow() {
        Result result = search.find("p", "o-" + ORDERS, placedAt(49_000), null);

        assertThat(result.placed()).isTrue();
        assertThat(result.scanned()).isEqualTo(1_001);
    }

    @Test
    void findsNothingInAnUnknownStream() {
        assertThat(search.find("nope", "o-1", START, START.plusSeconds(1)).placed()).isFalse();
    }

    /** When order {@code i} was placed. */
    private static Instant placedAt(int i) {
        return START.plus(EVERY.multipliedBy(i));
    }

    private static GenericDomainEventMessage<Object> event(long sequence, Object payload, Instant at) {
        return new GenericDomainEventMessage<>("Product", "p", sequence, payload, Map.of(),
                java.util.UUID.randomUUID().toString(), at);
    }
}
