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

    private final InMemoryEventStorageEngine events = new InMemoryEventStorageEngine();
    private final PlacementSearch search = new PlacementSearch(events);

    @BeforeEach
    void oneProductWithManyOrders() {
        events.appendEvents(event(0, new ProductAddedEvent("p", "P", 1_000_000), START));
        for (int i = 1; i <= ORDERS; i++) {
            events.appendEvents(event(i, new OrderPlacedEvent("o-" + i, "p", 1), START.plus(EVERY.multipliedBy(i))));
        }
    }

    @Test
    void findsAPlacementInItsWindowReadingOnlyTheWindowAndLogarithmicallyManyProbes() {
        Instant placedAt = START.plus(EVERY.multipliedBy(30_000));

        Result result = search.find("p", "o-30000", placedAt.minusSeconds(2), placedAt.plusSeconds(12));

        assertThat(result.placed()).isTrue();
        assertThat(result.probes()).isLessThanOrEqualTo(2 * 17 + 2);
        assertThat(result.scanned()).as("events from the window's start to the placement").isEqualTo(201);
    }

    @Test
    void findsNothingWhenThePlacementLiesOutsideTheWindowAndReadsNoFurther() {
        Instant window = START.plus(EVERY.multipliedBy(10_000));

        Result result = search.find("p", "o-30000", window, window.plusSeconds(14));

        assertThat(result.placed()).isFalse();
        assertThat(result.scanned()).as("the window's 1,401 events and the first one after it").isEqualTo(1_402);
    }

    @Test
    void findsNothingInAWindowAfterTheStreamsEnd() {
        Instant later = START.plus(Duration.ofHours(1));

        Result result = search.find("p", "o-1", later, later.plusSeconds(14));

        assertThat(result.placed()).isFalse();
        assertThat(result.scanned()).isZero();
        assertThat(result.probes()).isLessThanOrEqualTo(2 * 17 + 2);
    }

    @Test
    void readsToTheStreamsEndForAClaimWithoutAWindow() {
        Result result = search.find("p", "o-" + ORDERS, START.plus(EVERY.multipliedBy(49_000)), null);

        assertThat(result.placed()).isTrue();
        assertThat(result.scanned()).isEqualTo(1_001);
    }

    @Test
    void findsNothingInAnUnknownStream() {
        assertThat(search.find("nope", "o-1", START, START.plusSeconds(1)).placed()).isFalse();
    }

    private static GenericDomainEventMessage<Object> event(long sequence, Object payload, Instant at) {
        return new GenericDomainEventMessage<>("Product", "p", sequence, payload, Map.of(),
                java.util.UUID.randomUUID().toString(), at);
    }
}
