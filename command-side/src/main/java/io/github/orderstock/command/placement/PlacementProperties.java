package io.github.orderstock.command.placement;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code app.orders.*}: how many waiting callers share one round trip ({@link GroupCommit}). The placement's timings
 * (a product's command timeout, the placement window that follows from it) are rules of the domain, not settings:
 * see {@link ProductOrders} and {@link OrderClaims}.
 *
 * @param maxBatch   orders of one product decided in one command, one write of their events
 * @param claimBatch order-id claims, and recorded outcomes, written to MongoDB in one request
 */
@ConfigurationProperties("app.orders")
public record PlacementProperties(@DefaultValue("500") int maxBatch, @DefaultValue("1000") int claimBatch) {
}
