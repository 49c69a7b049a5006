package io.github.orderstock.command.placement;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import io.github.orderstock.command.placement.OrderClaims.Claim;
import io.github.orderstock.command.product.InsufficientStockException;
import io.github.orderstock.command.product.OrderIdConflictException;
import io.github.orderstock.command.product.OrderOutcomeUnknownException;
import io.github.orderstock.command.product.PlaceOrderCommand;
import io.github.orderstock.command.product.PlacementWindowClosedException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Places an order exactly once per order id: claims the id, lets the product take the stock, and records on the claim
 * that it did. A repeat with the same body gets the original answer; a repeat with another body is a conflict. Every
 * step is a lookup or a write by key (ADR 6): a repeat of a placed order is answered from its claim; a repeat whose
 * outcome was not recorded asks the product, which remembers its recent orders, and only when the product forgot it
 * is the claim settled off the request path ({@link OrderOutcomeResolver}) while the request gets 503.
 */
@Service
public class OrderPlacementService {

    private static final Logger log = LoggerFactory.getLogger(OrderPlacementService.class);

    private final OrderClaims claims;
    private final ProductOrders products;
    private final OrderOutcomeResolver resolver;
    private final Clock clock;

    OrderPlacementService(OrderClaims claims, ProductOrders products, OrderOutcomeResolver resolver, Clock clock) {
        this.claims = claims;
        this.products = products;
        this.resolver = resolver;
        this.clock = clock;
    }

    public PlacedOrder place(String orderId, String productId, int quantity) {
        Claim mine = new Claim(orderId, productId, quantity, clock.instant());
        Optional<Claim> earlier = claims.claim(mine);
        if (earlier.isEmpty()) {
            return decide(mine, true);
        }
        Claim claim = earlier.get();
        if (!claim.isFor(productId, quantity)) {
            throw new OrderIdConflictException(orderId);
        }
        if (claim.placed()) {
            return answer(claim);
        }
        return decide(claim, false);
    }

    /**
     * Lets the product decide the order under this claim: as the claim's owner (nothing can have been placed under it
     * before), or as a repeat, which the product checks against what it remembers.
     */
    private PlacedOrder decide(Claim claim, boolean owner) {
        PlaceOrderCommand order = new PlaceOrderCommand(claim.productId(), claim.orderId(), claim.quantity(),
                owner ? null : claim.claimedAt(), claim.placeBy());
        try {
            products.decide(order).placementOrThrow();
        } catch (PlacementWindowClosedException e) {
            return renewAndDecide(claim);
        } catch (OrderOutcomeUnknownException e) {
            Duration retryAfter = resolver.request(claim);
            throw new OrderOutcomePendingException(claim.orderId(), retryAfter);
        } catch (InsufficientStockException | AggregateNotFoundException e) {
            claims.release(claim.orderId(), claim.productId(), claim.quantity());
            throw e;
        }
        recordPlaced(claim);
        return answer(claim);
    }

    /**
     * The window closed and the product placed nothing under it: a new window, and one more decision. Whoever renews
     * the claim owns the new window; a request that finds it renewed by another decides as a repeat.
     */
    private PlacedOrder renewAndDecide(Claim closed) {
        Instant now = clock.instant();
        Claim current = claims.renew(closed, now).orElseThrow(() ->
                new OrderOutcomePendingException(closed.orderId(), Duration.ofSeconds(1)));
        if (current.placed()) {
            return answer(current);
        }
        boolean owner = current.claimedAt().equals(now.truncatedTo(ChronoUnit.MILLIS));
        PlaceOrderCommand order = new PlaceOrderCommand(current.productId(), current.orderId(), current.quantity(),
                owner ? null : current.claimedAt(), current.placeBy());
        try {
            products.decide(order).placementOrThrow();
        } catch (PlacementWindowClosedException | OrderOutcomeUnknownException e) {
            throw new OrderOutcomePendingException(current.orderId(), resolver.request(current));
        } catch (InsufficientStockException e) {
            claims.release(current.orderId(), current.productId(), current.quantity());
            throw e;
        }
        recordPlaced(current);
        return answer(current);
    }

    /**
     * The order is placed whatever happens here; a claim without its outcome is settled by the product's memory or
     * the resolver when the order is repeated.
     */
    private void recordPlaced(Claim claim) {
        try {
            claims.recordPlaced(claim.orderId());
        } catch (RuntimeException e) {
            log.warn("Order {} is placed, but recording that on its claim failed: {}", claim.orderId(), e.toString());
        }
    }

    private static PlacedOrder answer(Claim claim) {
        return new PlacedOrder(claim.orderId(), claim.productId(), claim.quantity());
    }
}
