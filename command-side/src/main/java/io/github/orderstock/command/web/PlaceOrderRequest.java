package io.github.orderstock.command.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * The original app's order body. {@code quantity} may be a JSON integer or a string of digits ({@code "1"}), as the
 * original accepted; fractions, exponents and other strings are rejected.
 */
record PlaceOrderRequest(
        @NotNull @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String orderId,
        @NotNull @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String productId,
        @NotNull @Min(1) @Max(PlaceOrderRequest.MAX_QUANTITY) Integer quantity) {

    static final int MAX_QUANTITY = 1_000;
}
