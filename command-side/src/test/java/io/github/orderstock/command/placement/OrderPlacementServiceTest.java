package io.github.orderstock.command.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.mongodb.client.MongoCollection;
import io.github.orderstock.command.placement.OrderClaims.Claim;
import io.github.orderstock.command.placement.OrderOutcomeResolver.Settled;
import io.github.orderstock.command.product.InsufficientStockException;
import io.github.orderstock.command.product.OrderDecision;
import io.github.orderstock.command.product.OrderIdConflictException;
import io.github.orderstock.command.product.OrderOutcomeUnknownException;
import io.github.orderstock.command.product.OrderPlacement;
import io.github.orderstock.command.product.PlaceOrderCommand;
import io.github.orderstock.command.product.PlacementWindowClosedException;
import io.github.orderstock.events.OrderPlacedEvent;
import io.github.orderstock.events.ProductAddedEvent;
import io.github.orderstock.support.testing.InMemoryMongo;
import io.github.orderstock.support.testing.TestClock;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.ArgumentCaptor;

/**
 * Placement and settling by key, without Spring: claims on the MongoDB stand-in (memory backend), the product's
 * answers stubbed, the event stream in Axon's in-memory engine.
 */
class OrderPlacementServiceTest {

    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

    @RegisterExtension
    final InMemoryMongo mongo = InMemoryMongo.forEachTest();
    private MongoCollection<Document> collection;
    private OrderClaims claims;
    private final InMemoryEventStorageEngine events = spy(new InMemoryEventStorageEngine());
    private final ProductOrders products = mock(ProductOrders.class);
    private final TestClock clock = new TestClock(T0);
    private OrderOutcomeResolver resolver;
    private OrderPlacementService service;

    @BeforeEach
    void setUp() {
        collection = mongo.database("shop_write").getCollection("order_claims");
        claims = new OrderClaims(collection, 100);
        resolver = new OrderOutcomeResolver(claims, new PlacementSearch(events), products, clock);
        service = new OrderPlacementService(claims, products, resolver, clock);
        events.appendEvents(event(0, new ProductAddedEvent("p", "P", 100), T0.minusSeconds(3_600)));
    }

    @AfterEach
    void tearDown() {
        resolver.destroy();
    }

    @Test
    void recordsOnTheClaimThatTheOrderWasPlaced() {
        given(products.decide(any())).willReturn(decided(OrderPlacement.PLACED));

        assertThat(service.place("o-1", "p", 2)).isEqualTo(new PlacedOrder("o-1", "p", 2));

        assertThat(collection.find(new Document("_id", "o-1")).first())
                .containsEntry("placed", true)
                .containsEntry("placeBy", Date.from(T0.plus(OrderClaims.PLACEMENT_WINDOW)));
        PlaceOrderCommand sent = sentCommands(1).get(0);
        assertThat(sent.earlierClaimAt()).as("the owner of a new claim").isNull();
        assertThat(sent.placeBy()).isEqualTo(T0.plus(OrderClaims.PLACEMENT_WINDOW));
    }

    @Test
    void answersARepeatOfAPlacedOrderFromItsClaimAloneAtAnyAge() {
        given(products.decide(any())).willReturn(decided(OrderPlacement.PLACED));
        PlacedOrder first = service.place("o-1", "p", 2);
        clock.set(T0.plus(Duration.ofDays(30)));

        PlacedOrder repeat = service.place("o-1", "p", 2);

        assertThat(repeat).isEqualTo(first);
        verify(products, times(1)).decide(any());
    }

    @Test
    void refusesARepeatWithAnotherBodyFromItsClaimAlone() {
        given(products.decide(any())).willReturn(decided(OrderPlacement.PLACED));
        service.place("o-1", "p", 2);

        assertThatThrownBy(() -> service.place("o-1", "p", 3)).isInstanceOf(OrderIdConflictException.class);
        assertThatThrownBy(() -> service.place("o-1", "q", 2)).isInstanceOf(OrderIdConflictException.class);
        verify(products, times(1)).decide(any());
    }

    @Test
    void asksTheProductAboutARepeatWhoseOutcomeWasNotRecorded() {
        unrecordedClaim("o-1", T0.minusSeconds(60));
        given(products.decide(any())).willReturn(decided(OrderPlacement.ALREADY_PLACED));

        assertThat(service.place("o-1", "p", 2)).isEqualTo(new PlacedOrder("o-1", "p", 2));

        assertThat(sentCommands(1).get(0).earlierClaimAt()).isEqualTo(T0.minusSeconds(60));
        assertThat(claims.find("o-1").orElseThrow().placed()).isTrue();
    }

    @Test
    void placesAnOrderWhoseWindowClosedUnderARenewedClaim() {
        unrecordedClaim("o-1", T0.minusSeconds(60));
        given(products.decide(any())).willReturn(
                rejected(new PlacementWindowClosedException("o-1", "p", T0.minusSeconds(50))),
                decided(OrderPlacement.PLACED));

        assertThat(service.place("o-1", "p", 2)).isEqualTo(new PlacedOrder("o-1", "p", 2));

        Claim claim = claims.find("o-1").orElseThrow();
        assertThat(claim.claimedAt()).isEqualTo(T0);
        assertThat(claim.placed()).isTrue();
        PlaceOrderCommand renewed = sentCommands(2).get(1);
        assertThat(renewed.earlierClaimAt()).as("the owner of the renewed claim").isNull();
        assertThat(renewed.placeBy()).isEqualTo(T0.plus(OrderClaims.PLACEMENT_WINDOW));
    }

    @Test
    void releasesTheClaimOfAnOrderRefusedForStock() {
        given(products.decide(any())).willReturn(rejected(new InsufficientStockException("p", 2, 1)));

        assertThatThrownBy(() -> service.place("o-1", "p", 2)).isInstanceOf(InsufficientStockException.class);

        assertThat(claims.find("o-1")).isEmpty();
    }

    @Test
    void answersAForgottenRepeatWith503AndNeverReadsTheStreamOnTheRequestThread() {
        unrecordedClaim("o-1", T0.minusSeconds(3));
        given(products.decide(any())).willReturn(rejected(new OrderOutcomeUnknownException("o-1",
                "p")));

        assertThatThrownBy(() -> service.place("o-1", "p", 2))
                .isInstanceOfSatisfying(OrderOutcomePendingException.class, pending -> assertThat(
                        pending.retryAfter()).as("until the window (7 s) and the clock margin (2 s) passed, + 1 s")
                        .isEqualTo(Duration.ofSeconds(10)));
        verify(events, never()).readEvents(any(String.class), anyLong());
        assertThat(claims.find("o-1").orElseThrow().placed()).isFalse();
    }

    @Test
    void settlesNothingWhileTheClaimsWindowIsOpen() {
        unrecordedClaim("o-1", T0.minusSeconds(3));

        assertThat(resolver.settle("o-1")).isEqualTo(Settled.NOTHING);
        verify(products, never()).decide(any());
    }

    @Test
    void settlesAForgottenClaimWhosePlacementLiesInItsWindow() {
        unrecordedClaim("o-1", T0.minusSeconds(60));
        events.appendEvents(event(1, new OrderPlacedEvent("o-0", "p", 1), T0.minusSeconds(61)),
                event(2, new OrderPlacedEvent("o-1", "p", 2), T0.minusSeconds(59)),
                event(3, new OrderPlacedEvent("o-2", "p", 1), T0.minusSeconds(30)));

        assertThat(resolver.settle("o-1")).isEqualTo(Settled.FOUND_PLACED);

        assertThat(claims.find("o-1").orElseThrow().placed()).isTrue();
        verify(products, never()).decide(any());
        assertThat(service.place("o-1", "p", 2)).isEqualTo(new PlacedOrder("o-1", "p", 2));
        verify(products, never()).decide(any());
    }

    @Test
    void settlesAForgottenClaimWithoutAPlacementByPlacingItUnderARenewedWindow() {
        unrecordedClaim("o-1", T0.minusSeconds(60));
        events.appendEvents(event(1, new OrderPlacedEvent("o-1", "p", 2), T0.minusSeconds(45)));
        given(products.decide(any())).willReturn(decided(OrderPlacement.PLACED));

        assertThat(resolver.settle("o-1")).as("a placement after the window is not this claim's")
                .isEqualTo(Settled.PLACED_NOW);

        Claim claim = claims.find("o-1").orElseThrow();
        assertThat(claim.placed()).isTrue();
        assertThat(claim.claimedAt()).isEqualTo(T0);
        assertThat(sentCommands(1).get(0)).isEqualTo(new PlaceOrderCommand("p", "o-1", 2, null,
                T0.plus(OrderClaims.PLACEMENT_WINDOW)));
    }

    @Test
    void releasesAForgottenClaimWithoutAPlacementWhenTheStockIsGone() {
        unrecordedClaim("o-1", T0.minusSeconds(60));
        given(products.decide(any())).willReturn(rejected(new InsufficientStockException("p", 2, 0)));

        assertThat(resolver.settle("o-1")).isEqualTo(Settled.RENEWED);

        assertThat(claims.find("o-1")).isEmpty();
    }

    @Test
    void settlesAClaimFromBeforeWindowsByReadingFromItsClaimOn() {
        collection.insertOne(new Document("_id", "o-1").append("productId", "p").append("quantity", 2)
                .append("claimedAt", Date.from(T0.minusSeconds(600))));
        events.appendEvents(event(1, new OrderPlacedEvent("o-1", "p", 2), T0.minusSeconds(300)));

        assertThat(resolver.settle("o-1")).isEqualTo(Settled.FOUND_PLACED);
        assertThat(claims.find("o-1").orElseThrow().placed()).isTrue();
    }

    @Test
    void neverReleasesAPlacedClaim() {
        given(products.decide(any())).willReturn(decided(OrderPlacement.PLACED));
        service.place("o-1", "p", 2);

        claims.release("o-1", "p", 2);

        assertThat(claims.find("o-1")).isPresent();
    }

    private void unrecordedClaim(String orderId, Instant claimedAt) {
        collection.insertOne(new Document("_id", orderId).append("productId", "p").append("quantity", 2)
                .append("claimedAt", Date.from(claimedAt))
                .append("placeBy", Date.from(claimedAt.plus(OrderClaims.PLACEMENT_WINDOW))));
    }

    private List<PlaceOrderCommand> sentCommands(int count) {
        ArgumentCaptor<PlaceOrderCommand> sent = ArgumentCaptor.forClass(PlaceOrderCommand.class);
        verify(products, times(count)).decide(sent.capture());
        return new ArrayList<>(sent.getAllValues());
    }

    private static OrderDecision rejected(RuntimeException rejection) {
        return new OrderDecision(null, rejection);
    }

    private static OrderDecision decided(OrderPlacement placement) {
        return new OrderDecision(placement, null);
    }

    private static GenericDomainEventMessage<Object> event(long sequence, Object payload, Instant at) {
        return new GenericDomainEventMessage<>("Product", "p", sequence, payload, Map.of(),
                UUID.randomUUID().toString(), at);
    }
}
