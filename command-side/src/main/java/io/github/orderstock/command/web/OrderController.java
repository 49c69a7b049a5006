package io.github.orderstock.command.web;

import io.github.orderstock.command.placement.OrderPlacementService;
import io.github.orderstock.command.placement.PlacedOrder;
import jakarta.validation.Valid;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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

    @Operation(summary = "Place an order", description = """
            Takes `quantity` units of the product for the order, exactly once per `orderId`: an identical repeat \
            gets the original answer and changes nothing. `quantity` is a whole number from 1 to 1,000, as a JSON \
            number or a string of digits. Ids are 1 to 64 letters, digits, '-' or '_'.""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = PlaceOrderRequest.class),
            examples = {
                    @ExampleObject(name = "201 the original order", value = """
                            {"orderId":"1","productId":"1","quantity":"1"}"""),
                    @ExampleObject(name = "201 an identical repeat", value = """
                            {"orderId":"1","productId":"1","quantity":"1"}"""),
                    @ExampleObject(name = "409 the order id with another quantity", value = """
                            {"orderId":"1","productId":"1","quantity":2}"""),
                    @ExampleObject(name = "409 more than the stock", value = """
                            {"orderId":"2","productId":"1","quantity":100}"""),
                    @ExampleObject(name = "404 an unknown product", value = """
                            {"orderId":"3","productId":"no-such-product","quantity":1}"""),
                    @ExampleObject(name = "400 a quantity that is not a number", value = """
                            {"orderId":"4","productId":"1","quantity":"abc"}"""),
                    @ExampleObject(name = "400 a quantity of zero", value = """
                            {"orderId":"4","productId":"1","quantity":0}""")}))
    @ApiResponse(responseCode = "201", description = "Placed now, or placed before with this very body",
            content = @Content(schema = @Schema(implementation = PlacedOrder.class), examples = @ExampleObject(
                    value = """
                            {"orderId":"1","productId":"1","quantity":1}""")))
    @ApiResponse(responseCode = "400", description = "Malformed body or invalid fields", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
            examples = @ExampleObject(value = """
                    {"type":"about:blank","title":"Invalid request","status":400,\
                    "detail":"'quantity' must be greater than or equal to 1.","instance":"/orders",\
                    "errors":[{"field":"quantity","detail":"must be greater than or equal to 1"}]}""")))
    @ApiResponse(responseCode = "404", description = "Unknown product; nothing stored")
    @ApiResponse(responseCode = "409", description = "Insufficient stock, or the order id is used by another body; "
            + "nothing stored", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
            examples = @ExampleObject(value = """
                    {"type":"about:blank","title":"Insufficient stock","status":409,\
                    "detail":"Product '1' has 9 in stock; the order asks for 100.","instance":"/orders",\
                    "productId":"1","requested":100,"available":9}""")))
    @ApiResponse(responseCode = "413", description = "Body over 16 KiB")
    @ApiResponse(responseCode = "415", description = "Not application/json")
    @ApiResponse(responseCode = "503", description = "Storage unavailable; repeating the same order is safe")
    @PostMapping(path = "/orders", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<PlacedOrder> place(@Valid @RequestBody PlaceOrderRequest request) {
        PlacedOrder order = placement.place(request.orderId(), request.productId(), request.quantity());
        return ResponseEntity.created(locations.order(order.orderId())).body(order);
    }
}
