package io.github.orderstock.command.web;

import java.util.concurrent.TimeUnit;

import io.github.orderstock.command.product.AddProductCommand;
import io.github.orderstock.command.product.RestockProductCommand;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ProductController {

    record AddedProduct(String productId, String name, int quantity) {
    }

    record RestockedProduct(String productId, int restocked, int stock) {
    }

    private static final long TIMEOUT_SECONDS = 10;

    private final CommandGateway commands;
    private final Locations locations;

    ProductController(CommandGateway commands, Locations locations) {
        this.commands = commands;
        this.locations = locations;
    }

    @PostMapping(path = "/products", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<AddedProduct> add(@Valid @RequestBody AddProductRequest request) {
        commands.sendAndWait(new AddProductCommand(request.productId(), request.name(), request.quantity()),
                TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return ResponseEntity.created(locations.product(request.productId()))
                .body(new AddedProduct(request.productId(), request.name(), request.quantity()));
    }

    @PostMapping(path = "/products/{productId}/restock", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    RestockedProduct restock(@PathVariable @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String productId,
                             @Valid @RequestBody RestockRequest request) {
        Integer stock = commands.sendAndWait(new RestockProductCommand(productId, request.quantity()),
                TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return new RestockedProduct(productId, request.quantity(), stock);
    }
}
