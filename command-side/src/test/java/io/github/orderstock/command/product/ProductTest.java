package io.github.orderstock.command.product;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.orderstock.events.OrderPlacedEvent;
import io.github.orderstock.events.ProductAddedEvent;
import io.github.orderstock.events.ProductRestockedEvent;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.hamcrest.CustomTypeSafeMatcher;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.axonframework.test.aggregate.TestExecutor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProductTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    private FixtureConfiguration<Product> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Product.class);
    }

    @Test
    void addsProductWithItsInitialStock() {
        fixture.givenNoPriorActivity()
                .when(new AddProductCommand("1", "Product 1", 10))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new ProductAddedEvent("1", "Product 1", 10));
    }

    @Test
    void restocksProductAndAnswersTheNewStock() {
        fixture.given(new ProductAddedEvent("1", "Product 1", 10))
                .when(new RestockProductCommand("1", 5))
                .expectEvents(new ProductRestockedEvent("1", 5))
                .expectResultMessagePayload(15);
    }

    @Test
    void rejectsRestockPastTheStockLimit() {
        fixture.given(new ProductAddedEvent("1", "Product 1", Integer.MAX_VALUE - 1))
                .when(new RestockProductCommand("1", 2))
                .expectException(StockLimitExceededException.class)
                .expectNoEvents();
    }

    @Test
    void rejectsRestockOfUnknownProduct() {
        fixture.givenNoPriorActivity()
                .when(new RestockProductCommand("nope", 1))
                .expectException(AggregateNotFoundException.class);
    }

    @Test
    void placesOrderThatFitsTheStock() {
        fixture.given(new ProductAddedEvent("1", "Product 1", 10))
                .when(new PlaceOrderCommand("1", "o-1", 1, null))
                .expectEvents(new OrderPlacedEvent("o-1", "1", 1))
                .expectResultMessagePayload(OrderPlacement.PLACED);
    }

    @Test
    void placesOrderForTheWholeRemainingStock() {
        fixture.given(new ProductAddedEvent("1", "Product 1", 10), new OrderPlacedEvent("o-1", "1", 4),
                        new ProductRestockedEvent("1", 2))
                .when(new PlaceOrderCommand("1", "o-2", 8, null))
                .expectEvents(new OrderPlacedEvent("o-2", "1", 8));
    }

    @Test
    void rejectsOrderLargerThanStock() {
        fixture.given(new ProductAddedEvent("1", "Product 1", 10), new OrderPlacedEvent("o-1", "1", 4))
                .when(new PlaceOrderCommand("1", "o-2", 7, null))
                .expectException(InsufficientStockException.class)
                .expectExceptionMessage("Product '1' has 6 in stock; the order asks for 7.")
                .expectNoEvents();
    }

    @Test
    void decidesTheOrdersOfABatchInTurnAndStoresTheEventsOfThoseItPlaces() {
        fixture.given(new ProductAddedEvent("1", "Product 1", 5), new OrderPlacedEvent("o-0", "1", 1))
                .when(new PlaceOrdersCommand("1", List.of(
                        new PlaceOrderCommand("1", "o-1", 3, null),
                        new PlaceOrderCommand("1", "o-2", 3, null),
                        new PlaceOrderCommand("1", "o-1", 3, NOW),
                        new PlaceOrderCommand("1", "o-0", 2, NOW),
                        new PlaceOrderCommand("1", "o-3", 1, null))))
                .expectEvents(new OrderPlacedEvent("o-1", "1", 3), new OrderPlacedEvent("o-3", "1", 1))
                .expectResultMessagePayloadMatching(new CustomTypeSafeMatcher<List<OrderDecision>>(
                        "placed, insufficient stock (1 left), already placed, id conflict, placed") {
                    @Override
                    protected boolean matchesSafely(List<OrderDecision> decisions) {
                        return decisions.size() == 5
                                && decisions.get(0).placement() == OrderPlacement.PLACED
                                && decisions.get(1).rejection() instanceof InsufficientStockException stock
                                && stock.available() == 1
                                && decisions.get(2).placement() == OrderPlacement.ALREADY_PLACED
                                && decisions.get(3).rejection() instanceof OrderIdConflictException
                                && decisions.get(4).placement() == OrderPlacement.PLACED;
                    }
                });
    }

    @Test
    void rejectsABatchForAnUnknownProductAsAWhole() {
        fixture.givenNoPriorActivity()
                .when(new PlaceOrdersCommand("nope", List.of(new PlaceOrderCommand("nope", "o-1", 1, null))))
                .expectException(AggregateNotFoundException.class);
    }

    @Test
    void rejectsOrderForUnknownProduct() {
        fixture.givenNoPriorActivity()
                .when(new PlaceOrderCommand("nope", "o-1", 1, null))
                .expectException(AggregateNotFoundException.class);
    }

    @Test
    void recognisesRepeatedOrderWithoutTakingStockAgain() {
        fixture.given(new ProductAddedEvent("1", "Product 1", 10), new OrderPlacedEvent("o-1", "1", 3))
                .when(new PlaceOrderCommand("1", "o-1", 3, NOW))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(OrderPlacement.ALREADY_PLACED);
    }

    @Test
    void recognisesRepeatedOrderEvenWhenStockRanOutSince() {
        fixture.given(new ProductAddedEvent("1", "Product 1", 10), new OrderPlacedEvent("o-1", "1", 3),
                        new OrderPlacedEvent("o-2", "1", 7))
                .when(new PlaceOrderCommand("1", "o-1", 3, NOW))
                .expectNoEvents()
                .expectResultMessagePayload(OrderPlacement.ALREADY_PLACED);
    }

    @Test
    void rejectsRepeatedOrderIdWithAnotherQuantity() {
        fixture.given(new ProductAddedEvent("1", "Product 1", 10), new OrderPlacedEvent("o-1", "1", 3))
                .when(new PlaceOrderCommand("1", "o-1", 2, NOW))
                .expectException(OrderIdConflictException.class)
                .expectNoEvents();
    }

    @Test
    void cannotTellWhetherAnOrderClaimedBeforeItForgotOrdersWasPlaced() {
        fixture.givenCurrentTime(NOW)
                .andGiven(moreOrdersThanRemembered())
                .when(new PlaceOrderCommand("1", "retried", 1, NOW.minus(Duration.ofMinutes(5))))
                .expectException(OrderOutcomeUnknownException.class)
                .expectNoEvents();
    }

    @Test
    void placesAnOrderClaimedAfterItLastForgotOne() {
        fixture.givenCurrentTime(NOW)
                .andGiven(moreOrdersThanRemembered())
                .when(new PlaceOrderCommand("1", "retried", 1, NOW.plusSeconds(1)))
                .expectEvents(new OrderPlacedEvent("retried", "1", 1));
    }

    @Test
    void stillRecognisesItsMostRecentOrdersAfterForgettingOlderOnes() {
        fixture.givenCurrentTime(NOW)
                .andGiven(moreOrdersThanRemembered())
                .when(new PlaceOrderCommand("1", "o-" + Product.REMEMBERED_ORDERS, 1,
                        NOW.minus(Duration.ofMinutes(5))))
                .expectNoEvents()
                .expectResultMessagePayload(OrderPlacement.ALREADY_PLACED);
    }

    @Test
    void placesAnOrderWithinItsPlacementWindow() {
        productOneAtNow()
                .when(new PlaceOrderCommand("1", "o-1", 1, null, NOW.plusSeconds(1)))
                .expectEvents(new OrderPlacedEvent("o-1", "1", 1))
                .expectResultMessagePayload(OrderPlacement.PLACED);
    }

    @Test
    void placesNothingOnceTheOrdersPlacementWindowClosed() {
        productOneAtNow()
                .when(new PlaceOrderCommand("1", "o-1", 1, null, NOW.minusMillis(1)))
                .expectException(PlacementWindowClosedException.class)
                .expectNoEvents();
    }

    @Test
    void recognisesARepeatPlacedBeforeAlsoAfterItsWindowClosed() {
        productOneAtNow()
                .andGiven(new OrderPlacedEvent("o-1", "1", 3))
                .when(new PlaceOrderCommand("1", "o-1", 3, NOW.minusSeconds(60), NOW.minusSeconds(50)))
                .expectNoEvents()
                .expectResultMessagePayload(OrderPlacement.ALREADY_PLACED);
    }

    @Test
    void cannotTellAfterForgettingEvenWhenTheWindowClosed() {
        fixture.givenCurrentTime(NOW)
                .andGiven(moreOrdersThanRemembered())
                .when(new PlaceOrderCommand("1", "retried", 1, NOW.minusSeconds(60), NOW.minusSeconds(50)))
                .expectException(OrderOutcomeUnknownException.class)
                .expectNoEvents();
    }

    @Test
    void decidesAClosedWindowInABatchWithoutStoppingTheOthers() {
        productOneAtNow()
                .when(new PlaceOrdersCommand("1", List.of(
                        new PlaceOrderCommand("1", "late", 1, null, NOW.minusSeconds(1)),
                        new PlaceOrderCommand("1", "on-time", 1, null, NOW.plusSeconds(1)))))
                .expectEvents(new OrderPlacedEvent("on-time", "1", 1))
                .expectResultMessagePayloadMatching(new CustomTypeSafeMatcher<List<OrderDecision>>(
                        "window closed, placed") {
                    @Override
                    protected boolean matchesSafely(List<OrderDecision> decisions) {
                        return decisions.size() == 2
                                && decisions.get(0).rejection() instanceof PlacementWindowClosedException
                                && decisions.get(1).placement() == OrderPlacement.PLACED;
                    }
                });
    }

    /** Product "1" with 10 in stock, at {@link #NOW}. */
    private TestExecutor<Product> productOneAtNow() {
        return fixture.givenCurrentTime(NOW).andGiven(new ProductAddedEvent("1", "Product 1", 10));
    }

    private static List<Object> moreOrdersThanRemembered() {
        List<Object> events = new ArrayList<>();
        events.add(new ProductAddedEvent("1", "Product 1", 1_000_000));
        for (int i = 0; i <= Product.REMEMBERED_ORDERS; i++) {
            events.add(new OrderPlacedEvent("o-" + i, "1", 1));
        }
        return events;
    }
}
