package io.github.orderstock.query.watch;

import java.util.LinkedHashSet;
import java.util.Set;

import io.github.orderstock.events.OrderPlacedEvent;
import io.github.orderstock.events.ProductAddedEvent;
import io.github.orderstock.events.ProductRestockedEvent;
import io.github.orderstock.query.stock.ProductStockProjection;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

/**
 * Tells the {@link LiveFeed} which products a batch of the projection changed, once the batch is committed (its
 * writes are in MongoDB then, so a read by key shows them). It runs in the projection's processor and keeps only
 * the product ids; it writes nothing.
 */
@Component
@ProcessingGroup(ProductStockProjection.PROCESSING_GROUP)
class StockChanges {

    private static final String RESOURCE = StockChanges.class.getName();

    private final LiveFeed feed;

    StockChanges(LiveFeed feed) {
        this.feed = feed;
    }

    @EventHandler
    void on(ProductAddedEvent event) {
        changed(event.productId());
    }

    @EventHandler
    void on(ProductRestockedEvent event) {
        changed(event.productId());
    }

    @EventHandler
    void on(OrderPlacedEvent event) {
        changed(event.productId());
    }

    private void changed(String productId) {
        if (!CurrentUnitOfWork.isStarted()) {
            feed.changed(Set.of(productId));
            return;
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        batch.<Set<String>>getOrComputeResource(RESOURCE, key -> {
            Set<String> ids = new LinkedHashSet<>();
            batch.afterCommit(committed -> feed.changed(ids));
            return ids;
        }).add(productId);
    }
}
