package io.github.orderstock.query.watch;

import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.util.Set;

import io.github.orderstock.events.OrderPlacedEvent;
import io.github.orderstock.events.ProductRestockedEvent;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.Test;

class StockChangesTest {

    private final LiveFeed feed = mock(LiveFeed.class);
    private final StockChanges changes = new StockChanges(feed);

    @Test
    void tellsTheFeedWhichProductsChangedOnlyOnceTheBatchIsCommitted() {
        var unitOfWork = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("batch"));
        changes.on(new OrderPlacedEvent("o1", "p1", 1));
        changes.on(new ProductRestockedEvent("p2", 5));
        changes.on(new OrderPlacedEvent("o2", "p1", 1));
        verify(feed, never()).changed(anyCollection());

        unitOfWork.commit();

        verify(feed).changed(Set.of("p1", "p2"));
    }
}
