package io.github.orderstock.command.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.github.orderstock.support.testing.InMemoryMongo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The acknowledged position per product, on the MongoDB stand-in (memory backend). */
class PublicationProgressTest {

    @RegisterExtension
    final InMemoryMongo mongo = InMemoryMongo.forEachTest();
    private final PublicationProgress progress = new PublicationProgress(
            mongo.database("shop_write").getCollection(PublicationProgress.COLLECTION));

    @Test
    void registersAStreamWithNothingPublished() {
        progress.register("p");

        assertThat(progress.all()).containsExactly(Map.entry("p", -1L));
    }

    @Test
    void registeringAgainKeepsWhatIsKnown() {
        progress.register("p");
        progress.advance(Map.of("p", 7L));

        progress.register("p");

        assertThat(progress.all()).containsExactly(Map.entry("p", 7L));
    }

    @Test
    void neverMovesAStreamBackwards() {
        progress.register("p");
        progress.advance(Map.of("p", 7L));

        progress.advance(Map.of("p", 3L));

        assertThat(progress.all()).containsEntry("p", 7L);
    }

    @Test
    void recordsAStreamItWasNotToldOf() {
        progress.advance(Map.of("q", 2L));

        assertThat(progress.all()).containsExactly(Map.entry("q", 2L));
    }

    @Test
    void listsEveryStreamWithItsPosition() {
        progress.register("p");
        progress.register("q");
        progress.advance(Map.of("q", 4L, "r", 0L));

        assertThat(progress.all()).isEqualTo(Map.of("p", -1L, "q", 4L, "r", 0L));
    }
}
