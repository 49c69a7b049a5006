package io.github.orderstock.command.web;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
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

import io.github.orderstock.support.web.SecurityConfig;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.mongodb.MongoTimeoutException;
import io.github.orderstock.command.placement.OrderOutcomePendingAccess;
import io.github.orderstock.command.placement.OrderPlacementService;
import io.github.orderstock.command.product.ProductCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.github.orderstock.command.placement.PlacedOrder;
import io.github.orderstock.command.product.InsufficientStockException;
import io.github.orderstock.command.product.OrderIdConflictException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

@WebMvcTest({OrderController.class, ProductController.class})
@Import({StrictJsonConfig.class, Locations.class, SecurityConfig.class, ProductCommands.class,
        SimpleMeterRegistry.class})
@TestPropertySource(properties = {"app.http.query-side-url=http://localhost:3001", "app.http.max-body-bytes=16384",
        "app.admin.user=admin", "app.admin.password=secret"})
class OrderControllerTest {

    private static final String MALFORMED = "Malformed request body";
    private static final String INVALID = "Invalid request";

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

    /** Every bad body the contract names: what is sent, the status, the problem's title, the field it names. */
    static Stream<Arguments> badOrders() {
        String tooLong = "x".repeat(65);
        return Stream.of(
                bad("empty body", "", 400, MALFORMED, null),
                bad("whitespace only", "   ", 400, MALFORMED, null),
                bad("malformed JSON", "{orderId:1}", 400, MALFORMED, null),
                bad("truncated JSON", "{\"orderId\":\"1\",\"productId\":\"1\",", 400, MALFORMED, null),
                bad("trailing garbage", order("\"1\"", "\"1\"", "1") + " trailing", 400, MALFORMED, null),
                bad("a second JSON value", order("\"1\"", "\"1\"", "1") + " {}", 400, MALFORMED, null),
                bad("an array body", "[1,2,3]", 400, MALFORMED, null),
                bad("a string body", "\"order\"", 400, MALFORMED, null),
                bad("a number body", "42", 400, MALFORMED, null),
                bad("a null body", "null", 400, MALFORMED, null),
                bad("an empty object", "{}", 400, INVALID, "orderId"),
                bad("missing orderId", "{\"productId\":\"1\",\"quantity\":1}", 400, INVALID, "orderId"),
                bad("missing productId", "{\"orderId\":\"1\",\"quantity\":1}", 400, INVALID, "productId"),
                bad("missing quantity", "{\"orderId\":\"1\",\"productId\":\"1\"}", 400, INVALID, "quantity"),
                bad("null orderId", order("null", "\"1\"", "1"), 400, INVALID, "orderId"),
                bad("null quantity", order("\"1\"", "\"1\"", "null"), 400, INVALID, "quantity"),
                bad("empty orderId", order("\"\"", "\"1\"", "1"), 400, INVALID, "orderId"),
                bad("empty productId", order("\"1\"", "\"\"", "1"), 400, INVALID, "productId"),
                bad("quantity 0", order("\"1\"", "\"1\"", "0"), 400, INVALID, "quantity"),
                bad("negative quantity", order("\"1\"", "\"1\"", "-1"), 400, INVALID, "quantity"),
                bad("quantity above the per-order maximum", order("\"1\"", "\"1\"", "1001"), 400, INVALID,
                        "quantity"),
                bad("fractional quantity", order("\"1\"", "\"1\"", "1.5"), 400, MALFORMED, "quantity"),
                bad("whole number written as a fraction", order("\"1\"", "\"1\"", "1.0"), 400, MALFORMED,
                        "quantity"),
                bad("exponent quantity", order("\"1\"", "\"1\"", "1e2"), 400, MALFORMED, "quantity"),
                bad("fractional string quantity", order("\"1\"", "\"1\"", "\"1.5\""), 400, MALFORMED,
                        "quantity"),
                bad("exponent string quantity", order("\"1\"", "\"1\"", "\"1e2\""), 400, MALFORMED, "quantity"),
                bad("non-numeric string quantity", order("\"1\"", "\"1\"", "\"abc\""), 400, MALFORMED,
                        "quantity"),
                bad("signed string quantity", order("\"1\"", "\"1\"", "\"+1\""), 400, MALFORMED, "quantity"),
                bad("padded string quantity", order("\"1\"", "\"1\"", "\" 1\""), 400, MALFORMED, "quantity"),
                bad("empty string quantity", order("\"1\"", "\"1\"", "\"\""), 400, MALFORMED, "quantity"),
                bad("NaN quantity", order("\"1\"", "\"1\"", "NaN"), 400, MALFORMED, null),
                bad("overflowing quantity", order("\"1\"", "\"1\"", "99999999999"), 400, MALFORMED, "quantity"),
                bad("huge quantity", order("\"1\"", "\"1\"", "1" + "0".repeat(400)), 400, MALFORMED, "quantity"),
                bad("boolean quantity", order("\"1\"", "\"1\"", "true"), 400, MALFORMED, "quantity"),
                bad("array quantity", order("\"1\"", "\"1\"", "[1]"), 400, MALFORMED, "quantity"),
                bad("object quantity", order("\"1\"", "\"1\"", "{\"n\":1}"), 400, MALFORMED, "quantity"),
                bad("numeric orderId", order("1", "\"1\"", "1"), 400, MALFORMED, "orderId"),
                bad("boolean productId", order("\"1\"", "true", "1"), 400, MALFORMED, "productId"),
                bad("operator object as orderId", order("{\"$gt\":\"\"}", "\"1\"", "1"), 400, MALFORMED,
                        "orderId"),
                bad("regex object as productId", order("\"1\"", "{\"$regex\":\".*\"}", "1"), 400, MALFORMED,
                        "productId"),
                bad("productId starting with $", order("\"1\"", "\"$where\"", "1"), 400, INVALID, "productId"),
                bad("orderId with a dot", order("\"a.b\"", "\"1\"", "1"), 400, INVALID, "orderId"),
                bad("orderId too long", order("\"" + tooLong + "\"", "\"1\"", "1"), 400, INVALID, "orderId"),
                bad("orderId with a control character", order("\"a\\u0007b\"", "\"1\"", "1"), 400, INVALID,
                        "orderId"),
                bad("orderId with a zero-width space", order("\"a\u200Bb\"", "\"1\"", "1"), 400, INVALID,
                        "orderId"),
                bad("orderId with a space", order("\"a b\"", "\"1\"", "1"), 400, INVALID, "orderId"),
                bad("unknown field", "{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":1,\"price\":3}",
                        400, MALFORMED, null),
                bad("duplicate key", "{\"orderId\":\"1\",\"orderId\":\"2\",\"productId\":\"1\",\"quantity\":1}",
                        400, MALFORMED, null));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badOrders")
    void refusesABadOrderWithAProblemAndPlacesNothing(String name, String body, int status, String title,
                                                      String field) throws Exception {
        ResultActions result = postOrder(body)
                .andExpect(status().is(status))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value(title))
                .andExpect(jsonPath("$.status").value(status))
                .andExpect(jsonPath("$.detail").isNotEmpty())
                .andExpect(jsonPath("$.detail").value(not(containsString("java."))))
                .andExpect(jsonPath("$.detail").value(not(containsString("Exception"))));
        if (field != null) {
            result.andExpect(INVALID.equals(title) ? jsonPath("$.errors[*].field").value(hasItem(field))
                    : jsonPath("$.detail").value(containsString("'" + field + "'")));
        }
        verifyNoInteractions(placement);
    }

    private static Arguments bad(String name, String body, int status, String title, String field) {
        return Arguments.of(name, body, status, title, field);
    }

    private static String order(String orderId, String productId, String quantity) {
        return "{\"orderId\":%s,\"productId\":%s,\"quantity\":%s}".formatted(orderId, productId, quantity);
    }

    static Stream<Arguments> badProductRequests() {
        return Stream.of(
                Arguments.of("/products", "", 400, MALFORMED),
                Arguments.of("/products", "{\"productId\":\"2\",\"name\":\"Tea\"}", 400, INVALID),
                Arguments.of("/products", "{\"productId\":\"2\",\"name\":\"\",\"quantity\":1}", 400, INVALID),
                Arguments.of("/products", "{\"productId\":\"2\",\"name\":\"" + "n".repeat(201)
                        + "\",\"quantity\":1}", 400, INVALID),
                Arguments.of("/products", "{\"productId\":\"$2\",\"name\":\"Tea\",\"quantity\":1}", 400, INVALID),
                Arguments.of("/products", "{\"productId\":2,\"name\":\"Tea\",\"quantity\":1}", 400, MALFORMED),
                Arguments.of("/products", "{\"productId\":\"2\",\"name\":\"Tea\",\"quantity\":1000001}", 400,
                        INVALID),
                Arguments.of("/products", "{\"productId\":\"2\",\"name\":\"Tea\",\"quantity\":\"abc\"}", 400,
                        MALFORMED),
                Arguments.of("/products", "{\"productId\":\"2\",\"name\":\"Tea\",\"quantity\":1,\"x\":1}", 400,
                        MALFORMED),
                Arguments.of("/products/1/restock", "{}", 400, INVALID),
                Arguments.of("/products/1/restock", "{\"quantity\":0}", 400, INVALID),
                Arguments.of("/products/1/restock", "{\"quantity\":1.5}", 400, MALFORMED),
                Arguments.of("/products/1/restock", "{\"quantity\":\"-3\"}", 400, MALFORMED),
                Arguments.of("/products/1/restock", "[3]", 400, MALFORMED),
                Arguments.of("/products/a.b/restock", "{\"quantity\":3}", 400, INVALID));
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("badProductRequests")
    void refusesABadProductRequestWithAProblemAndSendsNoCommand(String path, String body, int status, String title)
            throws Exception {
        mvc.perform(post(path).contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().is(status))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value(title))
                .andExpect(jsonPath("$.detail").isNotEmpty());
        verifyNoInteractions(commands);
    }

    @Test
    void refusesInvalidUtf8() throws Exception {
        byte[] body = "{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":1}".getBytes(StandardCharsets.UTF_8);
        body[13] = (byte) 0xC3;
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value(MALFORMED));
        verifyNoInteractions(placement);
    }

    @Test
    void refusesABodyOverTheSizeLimitWith413() throws Exception {
        String padded = "{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":1}" + " ".repeat(20_000);
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content(padded))
                .andExpect(status().isPayloadTooLarge())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(containsString("16384 bytes")));
        verifyNoInteractions(placement);
    }

    @Test
    void refusesAnUnsupportedAcceptWith406() throws Exception {
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).accept(MediaType.TEXT_HTML)
                        .content("{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":1}"))
                .andExpect(status().isNotAcceptable());
        verifyNoInteractions(placement);
    }

    @Test
    void refusesAMissingContentTypeWith415() throws Exception {
        mvc.perform(post("/orders").content("{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":1}"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
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
                        + "whole number, as a JSON number or a string of digits such as \"1\"."));
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
                .andExpect(jsonPath("$.detail").value(not(containsString("Mongo"))));
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
    void namesTheQuantityOfAnInvalidRestock() throws Exception {
        mvc.perform(post("/products/1/restock").contentType(MediaType.APPLICATION_JSON).content("{\"quantity\":0}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("quantity"))
                .andExpect(jsonPath("$.detail").value(containsString("'quantity'")))
                .andExpect(jsonPath("$.detail").value(not(containsString("request"))));
        verifyNoInteractions(commands);
    }

    @Test
    void answersAnOrderWhoseOutcomeIsBeingLookedUpWith503AndItsRetryAfter() throws Exception {
        given(placement.place("1", "1", 1)).willThrow(OrderOutcomePendingAccess.pending("1", 12));

        postOrder("{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":1}")
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "12"))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
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
