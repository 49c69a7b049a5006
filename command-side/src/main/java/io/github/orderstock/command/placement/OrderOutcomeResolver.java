package io.github.orderstock.command.placement;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.orderstock.command.placement.OrderClaims.Claim;
import io.github.orderstock.command.placement.PlacementSearch.Result;
import io.github.orderstock.command.product.InsufficientStockException;
import io.github.orderstock.command.product.OrderDecision;
import io.github.orderstock.command.product.PlaceOrderCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Settles claims whose outcome was never recorded (the command side stopped between storing the order's event and
 * recording it on the claim) once their product no longer remembers the order. One thread, off the request path, one
 * claim at a time, each at most once at a time; the requests meanwhile get 503 with {@code Retry-After}.
 * <p>
 * An order can only have been placed inside its claim's window, so the resolver waits until the window closed, reads
 * the window's events by key ({@link PlacementSearch}), and then either records the placement or, when there was
 * none, renews the claim and places the order under the new window, as the owner of a new claim would.
 */
@Component
class OrderOutcomeResolver implements DisposableBean {

    /** More than twice the clock skew between command-side instances that is tolerated. */
    static final Duration CLOCK_MARGIN = Duration.ofSeconds(2);
    /** Claims waiting at most; more are turned away until some are settled (their requests still get 503). */
    static final int MAX_PENDING = 1_000;

    /** What one settling did. */
    enum Settled {
        /** Nothing to do: the claim is gone, placed, or its window has not closed yet. */
        NOTHING,
        /** The window held the placement; recorded on the claim. */
        FOUND_PLACED,
        /** No placement; the claim was renewed and the order placed under the new window. */
        PLACED_NOW,
        /** No placement; the claim was renewed (by another, or this order cannot be placed now). */
        RENEWED
    }

    private static final Logger log = LoggerFactory.getLogger(OrderOutcomeResolver.class);

    private final OrderClaims claims;
    private final PlacementSearch search;
    private final ProductOrders products;
    private final Clock clock;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread resolver = new Thread(task, "order-outcome-resolver");
        resolver.setDaemon(true);
        return resolver;
    });

    OrderOutcomeResolver(OrderClaims claims, PlacementSearch search, ProductOrders products, Clock clock) {
        this.claims = claims;
        this.search = search;
        this.products = products;
        this.clock = clock;
    }

    /**
     * Starts settling the claim once its window closed, unless that is under way already, and answers when a repeat
     * of the order should come back.
     */
    Duration request(Claim claim) {
        Instant now = clock.instant();
        Duration untilClosed = claim.placeBy() == null ? Duration.ZERO
                : Duration.between(now, claim.placeBy().plus(CLOCK_MARGIN));
        if (untilClosed.isNegative()) {
            untilClosed = Duration.ZERO;
        }
        if (pending.size() < MAX_PENDING && pending.add(claim.orderId())) {
            thread.schedule(() -> settleInTurn(claim.orderId()), untilClosed.toMillis(), TimeUnit.MILLISECONDS);
        }
        return untilClosed.plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
    }

    private void settleInTurn(String orderId) {
        try {
            settle(orderId);
        } catch (RuntimeException e) {
            log.warn("Could not settle the claim of order {} yet; its next repeat tries again", orderId, e);
        } finally {
            pending.remove(orderId);
        }
    }

    /** Settles the order's claim now, in the caller's thread. */
    Settled settle(String orderId) {
        Optional<Claim> current = claims.find(orderId);
        Instant now = clock.instant();
        if (current.isEmpty() || current.get().placed()
                || (current.get().placeBy() != null && now.isBefore(current.get().placeBy().plus(CLOCK_MARGIN)))) {
            return Settled.NOTHING;
        }
        Claim claim = current.get();
        Instant to = claim.placeBy() == null ? null : claim.placeBy().plus(CLOCK_MARGIN);
        long started = System.nanoTime();
        Result result = search.find(claim.productId(), orderId, claim.claimedAt().minus(CLOCK_MARGIN), to);
        log.info("Order {}: {} in the window of its claim on product {} ({} probes, {} events read, {} ms)", orderId,
                result.placed() ? "placed" : "not placed", claim.productId(), result.probes(), result.scanned(),
                (System.nanoTime() - started) / 1_000_000);
        if (result.placed()) {
            claims.recordPlaced(orderId);
            return Settled.FOUND_PLACED;
        }
        Optional<Claim> renewed = claims.renew(claim, now);
        if (renewed.isEmpty() || renewed.get().placed()
                || !renewed.get().claimedAt().equals(now.truncatedTo(ChronoUnit.MILLIS))) {
            return Settled.RENEWED;
        }
        return placeUnder(renewed.get()) ? Settled.PLACED_NOW : Settled.RENEWED;
    }

    /** Places the order as the owner of its renewed claim; true when it is placed. */
    private boolean placeUnder(Claim claim) {
        OrderDecision decision = products.decide(new PlaceOrderCommand(claim.productId(), claim.orderId(),
                claim.quantity(), null, claim.placeBy()));
        if (decision.placement() != null) {
            claims.recordPlaced(claim.orderId());
            return true;
        }
        if (decision.rejection() instanceof InsufficientStockException) {
            claims.release(claim.orderId(), claim.productId(), claim.quantity());
        }
        return false;
    }

    @Override
    public void destroy() {
        thread.shutdownNow();
    }
}
