package io.github.orderstock.query.web;

import static io.github.orderstock.support.testing.ProblemAnswers.problem;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.github.orderstock.support.web.SecurityConfig;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.github.orderstock.query.replay.ReplayStatus;
import io.github.orderstock.query.replay.ReplayTestAccess;
import io.github.orderstock.query.replay.Replays;
import io.github.orderstock.query.stock.FindAllProductsQuery;
import io.github.orderstock.query.stock.FindOrderQuery;
import io.github.orderstock.query.stock.FindProductQuery;
import io.github.orderstock.query.stock.OrderView;
import io.github.orderstock.query.stock.ProductView;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest({StockController.class, ReplayController.class})
@Import({JsonConfig.class, SecurityConfig.class})
@TestPropertySource(properties = {"app.admin.user=admin", "app.admin.password=secret"})
class StockControllerTest {

    @Autowired
    MockMvc mvc;
    @MockitoBean
    QueryGateway queries;
    @MockitoBean
    Replays replays;

    @Test
    void readsAProductInTheOriginalShape() throws Exception {
        answer(new FindProductQuery("1"), Optional.of(new ProductView("1", "Product 1", 9)));

        mvc.perform(get("/products/1"))
                .andExpect(status().isOk())
                .andExpect(content().json("{\"productId\":\"1\",\"name\":\"Product 1\",\"quantity\":9}", true));
    }

    @Test
    void listsProducts() throws Exception {
        answer(new FindAllProductsQuery(), List.of(new ProductView("1", "Product 1", 9)));

        mvc.perform(get("/products"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].quantity").value(9));
    }

    @Test
    void answersAnUnknownProductWith404Problem() throws Exception {
        answer(new FindProductQuery("nope"), Optional.empty());

        mvc.perform(get("/products/nope"))
                .andExpect(problem(HttpStatus.NOT_FOUND))
                .andExpect(jsonPath("$.title").value("Not found"))
                .andExpect(jsonPath("$.detail").value("There is no product 'nope' (yet: new products appear "
                        + "within a second)."));
    }

    @Test
    void readsAnOrder() throws Exception {
        answer(new FindOrderQuery("o-1"),
                Optional.of(new OrderView("o-1", "1", 1, Instant.parse("2026-11-24T12:00:00Z"))));

        mvc.perform(get("/orders/o-1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.productId").value("1"))
                .andExpect(jsonPath("$.placedAt").value("2026-11-24T12:00:00Z"));
    }

    @Test
    void answersAnUnknownOrderWith404Problem() throws Exception {
        answer(new FindOrderQuery("nope"), Optional.empty());

        mvc.perform(get("/orders/nope"))
                .andExpect(problem(HttpStatus.NOT_FOUND));
    }

    @Test
    void rejectsAMalformedIdWith400Problem() throws Exception {
        mvc.perform(get("/products/{id}", "$where"))
                .andExpect(problem(HttpStatus.BAD_REQUEST))
                .andExpect(jsonPath("$.errors[0].field").value("productId"));
    }

    @Test
    void startsAReplayAndPointsToItsStatus() throws Exception {
        given(replays.start()).willReturn(new ReplayStatus(ReplayStatus.State.RUNNING,
                Instant.parse("2026-11-24T12:00:00Z"), null, 10, 0));

        mvc.perform(post("/admin/replay").with(httpBasic("admin", "secret")))
                .andExpect(status().isAccepted())
                .andExpect(header().string("Location", "/admin/replay"))
                .andExpect(jsonPath("$.state").value("RUNNING"))
                .andExpect(jsonPath("$.recordsToReplay").value(10));
    }

    @Test
    void refusesASecondReplayWhileOneRuns() throws Exception {
        given(replays.start()).willThrow(newReplayAlreadyRunning());

        mvc.perform(post("/admin/replay").with(httpBasic("admin", "secret")))
                .andExpect(problem(HttpStatus.CONFLICT));
    }

    @Test
    void refusesAReplayWithoutCredentials() throws Exception {
        mvc.perform(post("/admin/replay"))
                .andExpect(problem(HttpStatus.UNAUTHORIZED))
                .andExpect(header().string("WWW-Authenticate", "Basic realm=\"order-stock admin\""))
                .andExpect(content().json("""
                        {"type":"about:blank","title":"Authentication required","status":401,\
                        "detail":"This needs the admin's credentials: HTTP Basic with ADMIN_USER and ADMIN_PASSWORD.",\
                        "instance":"/admin/replay"}""", JsonCompareMode.STRICT));
        verifyNoInteractions(replays);
    }

    @Test
    void refusesAReplayWithAWrongPassword() throws Exception {
        mvc.perform(post("/admin/replay").with(httpBasic("admin", "guess")))
                .andExpect(problem(HttpStatus.UNAUTHORIZED));
        mvc.perform(get("/admin/replay").with(httpBasic("admin", "guess")))
                .andExpect(status().isUnauthorized());
        verifyNoInteractions(replays);
    }

    @Test
    void refusesAnAuthenticatedNonAdminWith403() throws Exception {
        mvc.perform(post("/admin/replay").with(user("reader").roles("READER")))
                .andExpect(problem(HttpStatus.FORBIDDEN))
                .andExpect(content().json("""
                        {"type":"about:blank","title":"Forbidden","status":403,"detail":"Only the admin may do this.",\
                        "instance":"/admin/replay"}""", JsonCompareMode.STRICT));
        verifyNoInteractions(replays);
    }

    @Test
    void readsStayOpen() throws Exception {
        answer(new FindProductQuery("1"), Optional.of(new ProductView("1", "Product 1", 9)));

        mvc.perform(get("/products/1")).andExpect(status().isOk())
                .andExpect(content().string("{\"productId\":\"1\",\"name\":\"Product 1\",\"quantity\":9}"));
    }

    @Test
    void answersAnUnknownPathWith404Problem() throws Exception {
        mvc.perform(get("/nothing/here"))
                .andExpect(problem(HttpStatus.NOT_FOUND));
    }

    @Test
    void answersAWrongMethodWith405AndAllow() throws Exception {
        mvc.perform(post("/products/1"))
                .andExpect(problem(HttpStatus.METHOD_NOT_ALLOWED))
                .andExpect(header().string("Allow", "GET"));
    }

    @SuppressWarnings("unchecked")
    private <R> void answer(Object query, R result) {
        given(queries.query(eq(query), any(ResponseType.class))).willReturn(CompletableFuture.completedFuture(result));
    }

    private static RuntimeException newReplayAlreadyRunning() {
        return ReplayTestAccess.replayAlreadyRunning();
    }
}
