package io.github.orderstock.command.web;

import static io.github.orderstock.support.testing.ProblemAnswers.problem;
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
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

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

    /** Every bad body the contract names, each answered 400: what is sent, the problem's title, the field it names. */
    static Stream<Arguments> badOrders() {
        String tooLong = "x".repeat(65);
        return Stream.of(
                bad("empty body", "", MALFORMED, null),
                bad("whitespace only", "   ", MALFORMED, null),
                bad("malformed JSON", "{orderId:1}", MALFORMED, null),
                bad("truncated JSON", "{\"orderId\":\"1\",\"productId\":\"1\",", MALFORMED, null),
                bad("trailing garbage", order("1") + " trailing", MALFORMED, null),
                bad("a second JSON value", order("1") + " {}", MALFORMED, null),
                bad("an array body", "[1,2,3]", MALFORMED, null),
                bad("a string body", "\"order\"", MALFORMED, null),
                bad("a number body", "42", MALFORMED, null),
                bad("a null body", "null", MALFORMED, null),
                bad("an empty object", "{}", INVALID, "orderId"),
                bad("missing orderId", "{\"productId\":\"1\",\"quantity\":1}", INVALID, "orderId"),
                bad("missing productId", "{\"orderId\":\"1\",\"quantity\":1}", INVALID, "productId"),
                bad("missing quantity", "{\"orderId\":\"1\",\"productId\":\"1\"}", INVALID, "quantity"),
                bad("null orderId", order("null", "\"1\"", "1"), INVALID, "orderId"),
                bad("empty orderId", order("\"\"", "\"1\"", "1"), INVALID, "orderId"),
                bad("empty productId", order("\"1\"", "\"\"", "1"), INVALID, "productId"),
                badQuantity("null quantity", "null", INVALID),
                badQuantity("quantity 0", "0", INVALID),
                badQuantity("negative quantity", "-1", INVALID),
                badQuantity("quantity above the per-order maximum", "1001", INVALID),
                badQuantity("fractional quantity", "1.5", MALFORMED),
                badQuantity("whole number written as a fraction", "1.0", MALFORMED),
                badQuantity("exponent quantity", "1e2", MALFORMED),
                badQuantity("fractional string quantity", "\"1.5\"", MALFORMED),
                badQuantity("exponent string quantity", "\"1e2\"", MALFORMED),
                badQuantity("non-numeric string quantity", "\"abc\"", MALFORMED),
                badQuantity("signed string quantity", "\"+1\"", MALFORMED),
                badQuantity("padded string quantity", "\" 1\"", MALFORMED),
                badQuantity("empty string quantity", "\"\"", MALFORMED),
                badQuantity("overflowing quantity", "99999999999", MALFORMED),
                badQuantity("huge quantity", "1" + "0".repeat(400), MALFORMED),
                badQuantity("boolean quantity", "true", MALFORMED),
                badQuantity("array quantity", "[1]", MALFORMED),
                badQuantity("object quantity", "{\"n\":1}", MALFORMED),
                bad("NaN quantity", order("NaN"), MALFORMED, null),
                bad("numeric orderId", order("1", "\"1\"", "1"), MALFORMED, "orderId"),
                bad("boolean productId", order("\"1\"", "true", "1"), MALFORMED, "productId"),
                bad("operator object as orderId", order("{\"$gt\":\"\"}", "\"1\"", "1"), MALFORMED, "orderId"),
                bad("regex object as productId", order("\"1\"", "{\"$regex\":\".*\"}", "1"), MALFORMED, "productId"),
                bad("productId starting with $", order("\"1\"", "\"$where\"", "1"), INVALID, "productId"),
                bad("orderId with a dot", order("\"a.b\"", "\"1\"", "1"), INVALID, "orderId"),
                bad("orderId too long", order("\"" + tooLong + "\"", "\"1\"", "1"), INVALID, "orderId"),
                bad("orderId with a control character", order("\"a\\u0007b\"", "\"1\"", "1"), INVALID, "orderId"),
                bad("orderId with a zero-width space", order("\"a\u200Bb\"", "\"1\"", "1"), INVALID, "orderId"),
                bad("orderId with a space", order("\"a b\"", "\"1\"", "1"), INVALID, "orderId"),
                bad("unknown field", "{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":1,\"price\":3}", MALFORMED,
                        null),
                bad("duplicate key", "{\"orderId\":\"1\",\"orderId\":\"2\",\"productId\":\"1\",\"quantity\":1}",
                        MALFORMED, null));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badOrders")
    void refusesABadOrderWithA400ProblemAndPlacesNothing(String name, String body, String title, String field)
            throws Exception {
        ResultActions result = postOrder(body)
                .andExpect(problem(HttpStatus.BAD_REQUEST))
                .andExpect(jsonPath("$.title").value(title))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.detail").isNotEmpty())
                .andExpect(jsonPath("$.detail").value(not(containsString("java."))))
                .andExpect(jsonPath("$.detail").value(not(containsString("Exception"))));
        if (field != null) {
            result.andExpect(INVALID.equals(title) ? jsonPath("$.errors[*].field").value(hasItem(field))
                    : jsonPath("$.detail").value(containsString("'" + field + "'")));
        }
        verifyNoInteractions(placement);
    }

    private static Arguments bad(String name, String body, String title, String field) {
        return Arguments.of(name, body, title, field);
    }

    /** An order bad in its quantity alone: the problem names the quantity. */
    private static Arguments badQuantity(String name, String quantity, String title) {
        return bad(name, order(quantity), title, "quantity");
    }

    /** Order "1" for product "1" with this quantity, written as it stands in the JSON. */
    private static String order(String quantity) {
        return order("\"1\"", "\"1\"", quantity);
    }

    private static String order(String orderId, String productId, String quantity) {
        return "{\"orderId\":%s,\"productId\":%s,\"quantity\":%s}".formatted(orderId, productId, quantity);
    }

    /** Every bad product request, each answered 400: where it is sent, what is sent, the problem's title. */
    static Stream<Arguments> badProductRequests() {
        return Stream.of(
                Arguments.of("/products", "", MALFORMED),
                Arguments.of("/products", "{\"productId\":\"2\",\"name\":\"Tea\"}", INVALID),
                Arguments.of("/products", "{\"productId\":\"2\",\"name\":\"\",\"quantity\":1}", INVALID),
                Arguments.of("/products", "{\"productId\":\"2\",\"name\":\"" + "n".repeat(201) + "\",\"quantity\":1}",
                        INVALID),
                Arguments.of("/products", "{\"productId\":\"$2\",\"name\":\"Tea\",\"quantity\":1}", INVALID),
                Arguments.of("/products", "{\"productId\":2,\"name\":\"Tea\",\"quantity\":1}", MALFORMED),
                Arguments.of("/products", "{\"productId\":\"2\",\"name\":\"Tea\",\"quantity\":1000001}", INVALID),
                Arguments.of("/products", "{\"productId\":\"2\",\"name\":\"Tea\",\"quantity\":\"abc\"}", MALFORMED),
                Arguments.of("/products", "{\"productId\":\"2\",\"name\":\"Tea\",\"quantity\":1,\"x\":1}", MALFORMED),
                Arguments.of("/products/1/restock", "{}", INVALID),
                Arguments.of("/products/1/restock", "{\"quantity\":0}", INVALID),
                Arguments.of("/products/1/restock", "{\"quantity\":1.5}", MALFORMED),
                Arguments.of("/products/1/restock", "{\"quantity\":\"-3\"}", MALFORMED),
                Arguments.of("/products/1/restock", "[3]", MALFORMED),
                Arguments.of("/products/a.b/restock", "{\"quantity\":3}", INVALID));
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("badProductRequests")
    void refusesABadProductRequestWithA400ProblemAndSendsNoCommand(String path, String body, String title)
            throws Exception {
        mvc.perform(post(path).contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(problem(HttpStatus.BAD_REQUEST))
                .andExpect(jsonPath("$.title").value(title))
                .andExpect(jsonPath("$.detail").isNotEmpty());
        verifyNoInteractions(commands);
    }

    @Test
    void refusesInvalidUtf8() throws Exception {
        byte[] body = "{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":1}".getBytes(StandardCharsets.UTF_8);
        body[13] = (byte) 0xC3;
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(problem(HttpStatus.BAD_REQUEST))
                .andExpect(jsonPath("$.title").value(MALFORMED));
        verifyNoInteractions(placement);
    }

    @Test
    void refusesABodyOverTheSizeLimitWith413() throws Exception {
        String padded = "{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":1}" + " ".repeat(20_000);
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content(padded))
                .andExpect(problem(HttpStatus.CONTENT_TOO_LARGE))
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

    static Stream<Named<MockHttpServletRequestBuilder>> ordersNotSentAsJson() {
        return Stream.of(
                Named.of("without a content type", post("/orders").content(order("1"))),
                Named.of("as text/plain", post("/orders").contentType(MediaType.TEXT_PLAIN).content("orderId=1")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("ordersNotSentAsJson")
    void refusesAnOrderNotSentAsJsonWith415AndPlacesNothing(MockHttpServletRequestBuilder request) throws Exception {
        mvc.perform(request)
                .andExpect(problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE));
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
                .andExpect(problem(HttpStatus.CONFLICT))
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
                .andExpect(problem(HttpStatus.NOT_FOUND))
                .andExpect(jsonPath("$.detail").value("There is no product 'zzz'; add it with POST /products first."));
    }

    @Test
    void answersAnUnreachableStoreWith503AndRetryAfter() throws Exception {
        given(placement.place("1", "1", 1)).willThrow(new MongoTimeoutException("timed out"));

        postOrder("{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":1}")
                .andExpect(problem(HttpStatus.SERVICE_UNAVAILABLE))
                .andExpect(header().string("Retry-After", "1"))
                .andExpect(jsonPath("$.detail").value(not(containsString("Mongo"))));
    }

    @Test
    void refusesAnotherMethodWith405AndAllow() throws Exception {
        mvc.perform(get("/orders"))
                .andExpect(problem(HttpStatus.METHOD_NOT_ALLOWED))
                .andExpect(header().string("Allow", "POST"));
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
                .andExpect(problem(HttpStatus.BAD_REQUEST))
                .andExpect(jsonPath("$.errors[0].field").value("quantity"))
                .andExpect(jsonPath("$.detail").value(containsString("'quantity'")))
                .andExpect(jsonPath("$.detail").value(not(containsString("request"))));
        verifyNoInteractions(commands);
    }

    @Test
    void answersAnOrderWhoseOutcomeIsBeingLookedUpWith503AndItsRetryAfter() throws Exception {
        given(placement.place("1", "1", 1)).willThrow(OrderOutcomePendingAccess.pending("1", 12));

        postOrder("{\"orderId\":\"1\",\"productId\":\"1\",\"quantity\":1}")
                .andExpect(problem(HttpStatus.SERVICE_UNAVAILABLE))
                .andExpect(header().string("Retry-After", "12"));
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
