package io.github.orderstock.command.web;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.github.orderstock.support.web.Ids;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

record AddProductRequest(
        @NotNull @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String productId,
        @NotBlank @Size(max = 200) String name,
        @JsonDeserialize(using = Quantity.class)
        @NotNull @Min(0) @Max(RestockRequest.MAX_QUANTITY) Integer quantity) {
}
