package io.github.orderstock.command.web;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.github.orderstock.support.web.Ids;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** The original app's order body; {@code quantity} follows {@link Quantity#RULE}. */
record PlaceOrderRequest(
        @NotNull @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String orderId,
        @NotNull @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String productId,
        @JsonDeserialize(using = Quantity.class)
        @NotNull @Min(1) @Max(PlaceOrderRequest.MAX_QUANTITY) Integer quantity) {

    static final int MAX_QUANTITY = 1_000;
}
