package io.github.orderstock.command.web;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.concurrent.TimeUnit;

import com.mongodb.MongoTimeoutException;
import io.github.orderstock.command.order.OrderPlacementService;
import io.github.orderstock.command.order.PlacedOrder;
import io.github.orderstock.command.product.InsufficientStockException;
import io.github.orderstock.command.product.OrderIdConflictException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

@WebMvcTest({OrderController.class, ProductController.class})
@Import({StrictJsonConfig.class, Locations.class})
@TestPropertySource(properties = "app.query-side-url=http://localhost:3001")
class OrderControllerTest {

    @Autowired
    MockMvc mvc;
    @MockitoBean
    OrderPlacementService placement;
    @MockitoBean
    CommandGateway commands;

    @Test
    void placesTheOriginalOrderWithQuantityAsString() throws Exception {
        given(placement.place("1", "1", 1)).willReturn(new PlacedOrder("1", "1", 1));

        postOrder("{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":\"1\"}")
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "http://localhost:3001/orders/1"))
                .andExpect(content().json("{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":1}", true));
    }

    @Test
    void placesAnOrderWithQuantityAsNumber() throws Exception {
        given(placement.place("2", "1", 3)).willReturn(new PlacedOrder("2", "1", 3));

        postOrder("{\"orderId\":\"2\",\"productId\":\"1\",\"quantity\":3}")
                .andExpect(status().isCreated());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":\"abc\"}",
            "{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":1.5}",
            "{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":\"1.5\"}",
            "{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":99999999999}",
            "{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":[1]}",
            "{\"orderId\":{\"$gt\":\"\"},\"productId\":\"1\",\"quantity\":1}",
            "{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":1,\"price\":3}",
            "{\"orderId\":\"1\",\"orderId\":\"2\",\"productId\":\"1\",\"quantity\":1}",
            "{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":1} trailing",
            "{\"orderId\":\"1\",\"productId\":\"1\",",
            "[1,2,3]",
            ""})
    void rejectsAnUnreadableBody(String body) throws Exception {
        postOrder(body)
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Malformed request body"))
                .andExpect(jsonPath("$.detail").isNotEmpty());
        verifyNoInteractions(placement);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":0}",
            "{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":-1}",
            "{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":1001}",
            "{\"orderId\":\"1\",\"productId\":\"1\"}",
            "{\"orderId\":null,\"productId\":\"1\",\"quantity\":1}",
            "{\"orderId\":\"\",\"productId\":\"1\",\"quantity\":1}",
            "{\"orderId\":\"1\",\"productId\":\"$regex\",\"quantity\":1}",
            "{\"orderId\":\"a.b\",\"productId\":\"1\",\"quantity\":1}",
            "{}"})
    void rejectsInvalidFieldsNamingEachOne(String body) throws Exception {
        postOrder(body)
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Invalid request"))
                .andExpect(jsonPath("$.errors[0].field").isNotEmpty())
                .andExpect(jsonPath("$.errors[0].detail").isNotEmpty());
        verifyNoInteractions(placement);
    }

    @Test
    void namesEveryMissingField() throws Exception {
        postOrder("{}")
                .andExpect(jsonPath("$.errors.length()").value(3))
                .andExpect(jsonPath("$.detail").value(
                        "'orderId' must not be null; 'productId' must not be null; 'quantity' must not be null."));
    }

    @Test
    void explainsAWrongTypeWithoutInternalNames() throws Exception {
        postOrder("{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":\"abc\"}")
                .andExpect(jsonPath("$.detail").value("Field 'quantity' has a value of the wrong type: expected a "
                        + "whole number, as a JSON number or a string of digits."));
    }

    @Test
    void answersInsufficientStockWith409() throws Exception {
        given(placement.place("1", "1", 100)).willThrow(new InsufficientStockException("1", 100, 9));

        postOrder("{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":100}")
                .andExpect(status().isConflict())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Insufficient stock"))
                .andExpect(jsonPath("$.available").value(9))
                .andExpect(jsonPath("$.requested").value(100));
    }

    @Test
    void answersAReusedOrderIdWith409() throws Exception {
        given(placement.place("1", "1", 2)).willThrow(new OrderIdConflictException("1"));

        postOrder("{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":2}")
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.title").value("Order id already used"));
    }

    @Test
    void answersAnUnknownProductWith404() throws Exception {
        given(placement.place("1", "zzz", 1)).willThrow(new AggregateNotFoundException("zzz", "not found"));

        postOrder("{\"orderId\":\"1\",\"productId\":\"zzz\",\"quantity\":1}")
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("There is no product 'zzz'; add it with POST /products first."));
    }

    @Test
    void answersAnUnreachableStoreWith503AndRetryAfter() throws Exception {
        given(placement.place("1", "1", 1)).willThrow(new MongoTimeoutException("timed out"));

        postOrder("{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":1}")
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "1"))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.not(
                        org.hamcrest.Matchers.containsString("Mongo"))));
    }

    @Test
    void refusesAnotherContentTypeWith415() throws Exception {
        mvc.perform(post("/orders").contentType(MediaType.TEXT_PLAIN).content("orderId=1"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void refusesAnotherMethodWith405AndAllow() throws Exception {
        mvc.perform(get("/orders"))
                .andExpect(status().isMethodNotAllowed())
                .andExpect(header().string("Allow", "POST"))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void restocksAProduct() throws Exception {
        given(commands.sendAndWait(any(), anyLong(), any(TimeUnit.class))).willReturn(13);

        mvc.perform(post("/products/1/restock").contentType(MediaType.APPLICATION_JSON).content("{\"quantity\":3}"))
                .andExpect(status().isOk())
                .andExpect(content().json("{\"productId\":\"1\",\"restocked\":3,\"stock\":13}", true));
    }

    @Test
    void rejectsAMalformedProductIdInThePath() throws Exception {
        mvc.perform(post("/products/{id}/restock", "a.b").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"quantity\":3}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("productId"));
        verifyNoInteractions(commands);
    }

    @Test
    void rejectsANegativeInitialStock() throws Exception {
        mvc.perform(post("/products").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"productId\":\"2\",\"name\":\"Tea\",\"quantity\":-1}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("quantity"));
        verifyNoInteractions(commands);
    }

    private ResultActions postOrder(String body) throws Exception {
        return mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content(body));
    }
}
