package io.github.orderstock.command.web;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

record RestockRequest(
        @JsonDeserialize(using = Quantity.class)
        @NotNull @Min(1) @Max(RestockRequest.MAX_QUANTITY) Integer quantity) {

    static final int MAX_QUANTITY = 1_000_000;
}
