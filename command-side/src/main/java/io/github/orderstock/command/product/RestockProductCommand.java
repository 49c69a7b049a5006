package io.github.orderstock.command.product;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RestockProductCommand(@TargetAggregateIdentifier String productId, int quantity) {
}
