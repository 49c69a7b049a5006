package io.github.orderstock.support.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RepeatedLogLimitTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Logger log;

    @BeforeEach
    void logThroughTheLimit() {
        var context = new LoggerContext();
        var limit = new RepeatedLogLimit(now::get);
        limit.setIntervalSeconds(10);
        limit.setContext(context);
        limit.start();
        context.addTurboFilter(limit);
        appender.setContext(context);
        appender.start();
        log = context.getLogger("io.github.orderstock.command.web.ProblemAdvice");
        log.setLevel(Level.INFO);
        log.addAppender(appender);
    }

    @Test
    void aRepeatedErrorIsLoggedOnceAnIntervalWithTheNumberLeftOut() {
        for (int i = 0; i < 500; i++) {
            log.error("Request failed; is MongoDB reachable?", new IllegalStateException("timeout " + i));
            now.addAndGet(50);
        }

        // 500 failures over 25 s: at 0 s, 10 s and 20 s, each after the first with the count left out before it.
        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "Request failed; is MongoDB reachable?",
                "The next message was logged 199 more times in the last 10 s and left out then (at most one a 10 s "
                        + "per message):",
                "Request failed; is MongoDB reachable?",
                "The next message was logged 199 more times in the last 10 s and left out then (at most one a 10 s "
                        + "per message):",
                "Request failed; is MongoDB reachable?");
    }

    @Test
    void eachMessagePatternHasItsOwnLimitAndVaryingArgumentsDoNotMakeThemDifferent() {
        for (int i = 0; i < 3; i++) {
            log.warn("Cannot publish to Kafka topic '{}' ({})", "shop-events", "attempt " + i);
            log.error("Request failed; is MongoDB reachable?");
        }

        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "Cannot publish to Kafka topic 'shop-events' (attempt 0)", "Request failed; is MongoDB reachable?");
    }

    @Test
    void infoAndDebugAreNeverLimited() {
        for (int i = 0; i < 5; i++) {
            log.info("Kafka topic '{}' is reachable again", "shop-events");
        }

        assertThat(appender.list).hasSize(5);
    }
}
