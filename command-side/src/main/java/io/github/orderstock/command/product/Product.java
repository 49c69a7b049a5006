package io.github.orderstock.command.product;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;

import io.github.orderstock.events.OrderPlacedEvent;
import io.github.orderstock.events.ProductAddedEvent;
import io.github.orderstock.events.ProductRestockedEvent;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A product and its available stock. Every order draws from exactly one product, so the product decides alone and
 * synchronously whether an order fits: stock can never go below zero.
 * <p>
 * It also remembers the ids of its most recent orders, so that a retried order (after a timeout or a crash) is
 * recognised instead of placed twice. Snapshots carry that memory (fields are serialized with Jackson).
 */
@Aggregate(snapshotTriggerDefinition = "productSnapshotTrigger", cache = "productCache")
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
public class Product {

    static final int REMEMBERED_ORDERS = 10_000;

    @AggregateIdentifier
    private String productId;
    private int stock;
    /** Order id to quantity, oldest first, at most {@link #REMEMBERED_ORDERS}. */
    private LinkedHashMap<String, Integer> recentOrders = new LinkedHashMap<>();
    /** Orders placed up to this moment may have been forgotten; {@code null} while nothing was. */
    private Instant forgottenUpTo;

    // Axon rebuilds the aggregate from its events (and Jackson from a snapshot) through this constructor.
    Product() {
    }

    @CommandHandler
    Product(AddProductCommand command) {
        apply(new ProductAddedEvent(command.productId(), command.name(), command.quantity()));
    }

    @CommandHandler
    int handle(RestockProductCommand command) {
        if ((long) stock + command.quantity() > Integer.MAX_VALUE) {
            throw new StockLimitExceededException(productId, stock, command.quantity());
        }
        apply(new ProductRestockedEvent(productId, command.quantity()));
        return stock;
    }

    /**
     * Decides the orders in turn, exactly as one {@link PlaceOrderCommand} each: a rejected order takes nothing and
     * does not stop the others.
     */
    @CommandHandler
    List<OrderDecision> handle(PlaceOrdersCommand command) {
        List<OrderDecision> decisions = new ArrayList<>(command.orders().size());
        for (PlaceOrderCommand order : command.orders()) {
            try {
                decisions.add(OrderDecision.of(handle(order)));
            } catch (InsufficientStockException | OrderIdConflictException | OrderOutcomeUnknownException
                     | PlacementWindowClosedException e) {
                decisions.add(OrderDecision.rejected(e));
            }
        }
        return decisions;
    }

    @CommandHandler
    OrderPlacement handle(PlaceOrderCommand command) {
        Integer placedQuantity = recentOrders.get(command.orderId());
        if (placedQuantity != null) {
            if (placedQuantity != command.quantity()) {
                throw new OrderIdConflictException(command.orderId());
            }
            return OrderPlacement.ALREADY_PLACED;
        }
        if (command.earlierClaimAt() != null && forgottenUpTo != null
                && !forgottenUpTo.isBefore(command.earlierClaimAt())) {
            throw new OrderOutcomeUnknownException(command.orderId(), productId);
        }
        // The event is stamped by the same clock a moment later: no placement lies (much) after its window.
        if (command.placeBy() != null && GenericEventMessage.clock.instant().isAfter(command.placeBy())) {
            throw new PlacementWindowClosedException(command.orderId(), productId, command.placeBy());
        }
        if (command.quantity() > stock) {
            throw new InsufficientStockException(productId, command.quantity(), stock);
        }
        apply(new OrderPlacedEvent(command.orderId(), productId, command.quantity()));
        return OrderPlacement.PLACED;
    }

    @EventSourcingHandler
    void on(ProductAddedEvent event) {
        productId = event.productId();
        stock = event.quantity();
    }

    @EventSourcingHandler
    void on(ProductRestockedEvent event) {
        stock += event.quantity();
    }

    @EventSourcingHandler
    void on(OrderPlacedEvent event, @Timestamp Instant placedAt) {
        stock -= event.quantity();
        recentOrders.put(event.orderId(), event.quantity());
        if (recentOrders.size() > REMEMBERED_ORDERS) {
            Iterator<String> oldest = recentOrders.keySet().iterator();
            oldest.next();
            oldest.remove();
            // The evicted order was placed no later than this one: a safe upper bound.
            forgottenUpTo = placedAt;
        }
    }
}
