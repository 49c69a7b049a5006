package io.github.orderstock.command.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoCollection;
import io.github.orderstock.command.placement.OrderClaims.Claim;
import io.github.orderstock.support.testing.InMemoryMongo;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Claims by order id on the MongoDB stand-in (memory backend), without Spring. */
class OrderClaimsTest {

    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

    @RegisterExtension
    final InMemoryMongo mongo = InMemoryMongo.forEachTest();
    private final MongoCollection<Document> collection =
            mongo.database("shop_write").getCollection("order_claims");
    private final OrderClaims claims = new OrderClaims(collection, 100);

    @Test
    void claimsANewOrderIdWithItsPlacementWindow() {
        Optional<Claim> earlier = claims.claim(new Claim("o-1", "p", 2, T0));

        assertThat(earlier).isEmpty();
        assertThat(collection.find(new Document("_id", "o-1")).first())
                .containsEntry("productId", "p")
                .containsEntry("quantity", 2)
                .containsEntry("claimedAt", Date.from(T0))
                .containsEntry("placeBy", Date.from(T0.plus(OrderClaims.PLACEMENT_WINDOW)))
                .doesNotContainKey("placed");
    }

    @Test
    void answersTheEarlierClaimOfAnOrderIdClaimedBefore() {
        Claim first = new Claim("o-1", "p", 2, T0);
        claims.claim(first);

        Optional<Claim> earlier = claims.claim(new Claim("o-1", "q", 5, T0.plusSeconds(1)));

        assertThat(earlier).contains(first);
    }

    @Test
    void exactlyOneOfManyConcurrentClaimsOfAnOrderIdOwnsIt() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Callable<Optional<Claim>>> tries = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            Claim claim = new Claim("o-1", "p", i + 1, T0);
            tries.add(() -> claims.claim(claim));
        }
        List<Optional<Claim>> answers = new ArrayList<>();
        for (Future<Optional<Claim>> answer : threads.invokeAll(tries)) {
            answers.add(answer.get(10, TimeUnit.SECONDS));
        }
        threads.shutdown();

        Claim owner = claims.find("o-1").orElseThrow();
        assertThat(answers).filteredOn(Optional::isEmpty).hasSize(1);
        assertThat(answers).filteredOn(Optional::isPresent).hasSize(31).allMatch(answer -> answer.get().equals(owner));
    }

    @Test
    void marksAClaimPlaced() {
        claims.claim(new Claim("o-1", "p", 2, T0));

        claims.recordPlaced("o-1");

        assertThat(claims.find("o-1")).get().extracting(Claim::placed).isEqualTo(true);
    }

    @Test
    void releasesTheClaimOfARejectedOrderSoItsIdCanBeUsedAgain() {
        claims.claim(new Claim("o-1", "p", 2, T0));

        claims.release("o-1", "p", 2);

        assertThat(claims.find("o-1")).isEmpty();
        assertThat(claims.claim(new Claim("o-1", "q", 1, T0))).isEmpty();
    }

    @Test
    void neverReleasesAPlacedClaimNorAnotherOrdersClaim() {
        claims.claim(new Claim("o-1", "p", 2, T0));
        claims.claim(new Claim("o-2", "p", 2, T0));
        claims.recordPlaced("o-1");

        claims.release("o-1", "p", 2);
        claims.release("o-2", "p", 3);

        assertThat(claims.find("o-1")).isPresent();
        assertThat(claims.find("o-2")).isPresent();
    }

    @Test
    void renewsAClaimWhoseWindowClosedWithANewWindow() {
        Claim closed = new Claim("o-1", "p", 2, T0);
        claims.claim(closed);
        Instant later = T0.plus(OrderClaims.PLACEMENT_WINDOW).plusSeconds(1);

        Optional<Claim> renewed = claims.renew(closed, later);

        assertThat(renewed).contains(new Claim("o-1", "p", 2, later));
    }

    @Test
    void answersTheClaimAsItIsWhenItWasRenewedOrPlacedMeanwhile() {
        Claim closed = new Claim("o-1", "p", 2, T0);
        claims.claim(closed);
        Instant later = T0.plus(OrderClaims.PLACEMENT_WINDOW).plusSeconds(1);
        Claim renewedFirst = claims.renew(closed, later).orElseThrow();

        Optional<Claim> second = claims.renew(closed, later.plusSeconds(1));
        claims.recordPlaced("o-1");
        Optional<Claim> afterPlacement = claims.renew(renewedFirst, later.plusSeconds(2));

        assertThat(second).contains(renewedFirst);
        assertThat(afterPlacement).get().extracting(Claim::placed, Claim::claimedAt).containsExactly(true, later);
    }

    @Test
    void renewsNothingOfAReleasedClaim() {
        Claim closed = new Claim("o-1", "p", 2, T0);
        claims.claim(closed);
        claims.release("o-1", "p", 2);

        assertThat(claims.renew(closed, T0.plus(OrderClaims.PLACEMENT_WINDOW).plusSeconds(1))).isEmpty();
    }
}
