package io.github.orderstock.query.web;

import java.util.List;
import java.util.Optional;

import io.github.orderstock.query.stock.FindAllProductsQuery;
import io.github.orderstock.query.stock.FindOrderQuery;
import io.github.orderstock.query.stock.FindProductQuery;
import io.github.orderstock.query.stock.OrderView;
import io.github.orderstock.query.stock.ProductView;
import jakarta.validation.constraints.Pattern;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
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

    @GetMapping(path = "/products", produces = MediaType.APPLICATION_JSON_VALUE)
    List<ProductView> products() {
        return queries.query(new FindAllProductsQuery(), ResponseTypes.multipleInstancesOf(ProductView.class)).join();
    }

    @GetMapping(path = "/products/{productId}", produces = MediaType.APPLICATION_JSON_VALUE)
    ProductView product(@PathVariable @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String productId) {
        Optional<ProductView> product = queries.query(new FindProductQuery(productId),
                ResponseTypes.optionalInstanceOf(ProductView.class)).join();
        return product.orElseThrow(() -> new NotFoundException(
                "There is no product '%s' (yet: new products appear within a second).".formatted(productId)));
    }

    @GetMapping(path = "/orders/{orderId}", produces = MediaType.APPLICATION_JSON_VALUE)
    OrderView order(@PathVariable @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String orderId) {
        Optional<OrderView> order = queries.query(new FindOrderQuery(orderId),
                ResponseTypes.optionalInstanceOf(OrderView.class)).join();
        return order.orElseThrow(() -> new NotFoundException(
                "There is no order '%s' (yet: placed orders appear within a second).".formatted(orderId)));
    }
}
