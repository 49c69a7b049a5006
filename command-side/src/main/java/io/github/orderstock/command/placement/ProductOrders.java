package io.github.orderstock.command.placement;

import java.time.Duration;
import java.util.List;

import io.github.orderstock.command.product.OrderDecision;
import io.github.orderstock.command.product.PlaceOrderCommand;
import io.github.orderstock.command.product.PlaceOrdersCommand;
import io.github.orderstock.command.product.ProductCommands;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Hands orders to their product. Orders for the same product that arrive while the product is busy go to it
 * together, as one {@link PlaceOrdersCommand} ({@link GroupCommit}): one unit of work, one lock of the product and one
 * write of all their events, where one command per order would hold the product's lock across a write for each.
 */
@Component
@EnableConfigurationProperties(PlacementProperties.class)
class ProductOrders {

    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final ProductCommands commands;
    private final GroupCommit<String, PlaceOrderCommand, OrderDecision> batches;

    ProductOrders(ProductCommands commands, PlacementProperties settings) {
        this.commands = commands;
        this.batches = new GroupCommit<>(settings.maxBatch());
    }

    /** What the product decided for this order (in a batch with the others that wait for the same product). */
    OrderDecision decide(PlaceOrderCommand order) {
        return batches.submit(order.productId(), order, this::send);
    }

    private List<OrderDecision> send(String productId, List<PlaceOrderCommand> orders) {
        return commands.sendAndWait(new PlaceOrdersCommand(productId, orders), COMMAND_TIMEOUT);
    }
}
