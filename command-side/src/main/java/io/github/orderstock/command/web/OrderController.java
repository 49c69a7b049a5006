package io.github.orderstock.command.web;

import io.github.orderstock.command.order.OrderPlacementService;
import io.github.orderstock.command.order.PlacedOrder;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class OrderController {

    private final OrderPlacementService placement;
    private final Locations locations;

    OrderController(OrderPlacementService placement, Locations locations) {
        this.placement = placement;
        this.locations = locations;
    }

    @PostMapping(path = "/orders", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<PlacedOrder> place(@Valid @RequestBody PlaceOrderRequest request) {
        PlacedOrder order = placement.place(request.orderId(), request.productId(), request.quantity());
        return ResponseEntity.created(locations.order(order.orderId())).body(order);
    }
}
