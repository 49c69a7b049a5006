package io.github.orderstock.command.web;

import java.time.Duration;

import io.github.orderstock.command.product.AddProductCommand;
import io.github.orderstock.command.product.ProductCommands;
import io.github.orderstock.command.product.RestockProductCommand;
import io.github.orderstock.support.web.Ids;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ProductCommands commands;
    private final Locations locations;

    ProductController(ProductCommands commands, Locations locations) {
        this.commands = commands;
        this.locations = locations;
    }

    @Operation(summary = "Add a product with its initial stock",
            description = "Ids are 1 to 64 letters, digits, '-' or '_'; the initial stock is 0 to 1,000,000.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = AddProductRequest.class),
            examples = {
                    @ExampleObject(name = "201 a new product", value = """
                            {"productId":"2","name":"Tea","quantity":5}"""),
                    @ExampleObject(name = "409 a product that exists", value = """
                            {"productId":"1","name":"Product 1","quantity":10}"""),
                    @ExampleObject(name = "400 a negative stock", value = """
                            {"productId":"3","name":"Coffee","quantity":-1}""")}))
    @ApiResponse(responseCode = "201", description = "Added; readable on the query side within a second")
    @ApiResponse(responseCode = "400", description = "Malformed body or invalid fields")
    @ApiResponse(responseCode = "409", description = "The product exists")
    @PostMapping(path = "/products", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<AddedProduct> add(@Valid @RequestBody AddProductRequest request) {
        commands.sendAndWait(new AddProductCommand(request.productId(), request.name(), request.quantity()),
                TIMEOUT);
        return ResponseEntity.created(locations.product(request.productId()))
                .body(new AddedProduct(request.productId(), request.name(), request.quantity()));
    }

    @Operation(summary = "Restock a product", description = "Adds 1 to 1,000,000 units to the product's stock.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = RestockRequest.class),
            examples = {
                    @ExampleObject(name = "200 five more units", value = """
                            {"quantity":5}"""),
                    @ExampleObject(name = "400 no units", value = """
                            {"quantity":0}""")}))
    @ApiResponse(responseCode = "200", description = "Restocked; the answer has the new stock")
    @ApiResponse(responseCode = "400", description = "Malformed body, invalid quantity or product id")
    @ApiResponse(responseCode = "404", description = "Unknown product")
    @ApiResponse(responseCode = "503", description = "Storage unavailable or too slow; the restock may have taken "
            + "effect (it is not idempotent): read the product before repeating it")
    @PostMapping(path = "/products/{productId}/restock", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    RestockedProduct restock(@Parameter(example = "1") @PathVariable @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String productId,
                             @Valid @RequestBody RestockRequest request) {
        Integer stock = commands.sendAndWait(new RestockProductCommand(productId, request.quantity()),
                TIMEOUT);
        return new RestockedProduct(productId, request.quantity(), stock);
    }
}
