package io.github.orderstock.command.order;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.github.orderstock.command.order.OrderClaims.Claim;
import io.github.orderstock.command.product.InsufficientStockException;
import io.github.orderstock.command.product.OrderDecision;
import io.github.orderstock.command.product.OrderIdConflictException;
import io.github.orderstock.command.product.OrderOutcomeUnknownException;
import io.github.orderstock.command.product.PlaceOrderCommand;
import io.github.orderstock.command.product.PlaceOrdersCommand;
import io.github.orderstock.events.OrderPlacedEvent;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Places an order exactly once per order id: claims the id, then lets the product take the stock. A repeat with the
 * same body gets the original answer; a repeat with another body is a conflict.
 * <p>
 * Orders for the same product that arrive while the product is busy go to it together, as one
 * {@link PlaceOrdersCommand} ({@link GroupCommit}): one unit of work, one lock of the product and one write of all
 * their events, where one command per order would hold the product's lock across a write for each.
 */
@Service
public class OrderPlacementService {

    private static final Logger log = LoggerFactory.getLogger(OrderPlacementService.class);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final OrderClaims claims;
    private final EventStorageEngine events;
    private final Clock clock;
    private final GroupCommit<String, PlaceOrderCommand, OrderDecision> productBatches;

    OrderPlacementService(CommandGateway commands, OrderClaims claims, EventStorageEngine events, Clock clock,
                          @Value("${app.orders.max-batch:500}") int maxBatch) {
        this.claims = claims;
        this.events = events;
        this.clock = clock;
        this.productBatches = new GroupCommit<>(maxBatch, (productId, orders) -> commands.sendAndWait(
                new PlaceOrdersCommand(productId, orders), COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    }

    public PlacedOrder place(String orderId, String productId, int quantity) {
        Optional<Claim> earlier = claims.claim(new Claim(orderId, productId, quantity, clock.instant()));
        if (earlier.isPresent() && !earlier.get().isFor(productId, quantity)) {
            throw new OrderIdConflictException(orderId);
        }
        try {
            dispatch(new PlaceOrderCommand(productId, orderId, quantity, earlier.map(Claim::claimedAt).orElse(null)));
        } catch (OrderOutcomeUnknownException e) {
            if (!wasPlaced(orderId, productId)) {
                log.info("Order {} was claimed earlier but never placed on product {}; placing it now", orderId,
                        productId);
                dispatch(new PlaceOrderCommand(productId, orderId, quantity, null));
            }
        } catch (InsufficientStockException | AggregateNotFoundException e) {
            claims.release(orderId, productId, quantity);
            throw e;
        }
        return new PlacedOrder(orderId, productId, quantity);
    }

    private void dispatch(PlaceOrderCommand command) {
        productBatches.submit(command.productId(), command).placementOrThrow();
    }

    /** The rare slow path: reads the product's whole stream, so it runs only when the product cannot tell. */
    private boolean wasPlaced(String orderId, String productId) {
        DomainEventStream stream = events.readEvents(productId, 0);
        while (stream.hasNext()) {
            DomainEventMessage<?> event = stream.next();
            if (event.getPayload() instanceof OrderPlacedEvent placed && placed.orderId().equals(orderId)) {
                return true;
            }
        }
        return false;
    }
}
