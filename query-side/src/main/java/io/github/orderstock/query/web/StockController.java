package io.github.orderstock.query.web;

import java.util.List;

import io.github.orderstock.query.stock.FindAllProductsQuery;
import io.github.orderstock.query.stock.FindOrderQuery;
import io.github.orderstock.query.stock.FindProductQuery;
import io.github.orderstock.query.stock.OrderView;
import io.github.orderstock.query.stock.ProductView;
import io.github.orderstock.support.web.Ids;
import jakarta.validation.constraints.Pattern;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
class StockController {

    private final QueryGateway queries;

    StockController(QueryGateway queries) {
        this.queries = queries;
    }

    @Operation(summary = "All products and their stock, by id")
    @GetMapping(path = "/products", produces = MediaType.APPLICATION_JSON_VALUE)
    List<ProductView> products() {
        return queries.query(new FindAllProductsQuery(), ResponseTypes.multipleInstancesOf(ProductView.class)).join();
    }

    @Operation(summary = "A product and its stock", description = "The original app's document: `quantity` is the "
            + "stock. Reads follow writes within about a second.")
    @ApiResponse(responseCode = "200", description = "The product")
    @ApiResponse(responseCode = "400", description = "Not a valid product id")
    @ApiResponse(responseCode = "404", description = "No such product (yet)")
    @GetMapping(path = "/products/{productId}", produces = MediaType.APPLICATION_JSON_VALUE)
    ProductView product(@Parameter(examples = {
            @ExampleObject(name = "200 the seeded product", value = "1"),
            @ExampleObject(name = "404 an unknown product", value = "no-such-product"),
            @ExampleObject(name = "400 a malformed id", value = "a.b")})
                        @PathVariable @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String productId) {
        return found(new FindProductQuery(productId), ProductView.class,
                "There is no product '%s' (yet: new products appear within a second).".formatted(productId));
    }

    @Operation(summary = "A placed order")
    @ApiResponse(responseCode = "200", description = "The order")
    @ApiResponse(responseCode = "400", description = "Not a valid order id")
    @ApiResponse(responseCode = "404", description = "No such order (yet)")
    @GetMapping(path = "/orders/{orderId}", produces = MediaType.APPLICATION_JSON_VALUE)
    OrderView order(@Parameter(examples = {
            @ExampleObject(name = "404 an unknown order", value = "no-such-order"),
            @ExampleObject(name = "400 an id with a dollar sign", value = "$where")})
                    @PathVariable @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String orderId) {
        return found(new FindOrderQuery(orderId), OrderView.class,
                "There is no order '%s' (yet: placed orders appear within a second).".formatted(orderId));
    }

    private <V> V found(Object query, Class<V> view, String notFound) {
        return queries.query(query, ResponseTypes.optionalInstanceOf(view)).join()
                .orElseThrow(() -> new NotFoundException(notFound));
    }
}
