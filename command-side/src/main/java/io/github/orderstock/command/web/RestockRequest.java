package io.github.orderstock.command.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

record RestockRequest(@NotNull @Min(1) @Max(RestockRequest.MAX_QUANTITY) Integer quantity) {

    static final int MAX_QUANTITY = 1_000_000;
}
