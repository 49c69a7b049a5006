package io.github.orderstock.command.product;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record AddProductCommand(@TargetAggregateIdentifier String productId, String name, int quantity) {
}
