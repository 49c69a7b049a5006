package io.github.orderstock.command.product;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code app.conflicts.*}: how often a command that collided with another command-side instance's change of the same
 * product is sent again before the request is answered 503 ({@link ProductCommands}, ADR 11).
 *
 * @param maxAttempts attempts per command, the first included
 * @param maxPause    the longest random pause before an attempt (2, 4, 8 … ms up to it)
 */
@ConfigurationProperties("app.conflicts")
public record ConflictProperties(@DefaultValue("10") int maxAttempts, @DefaultValue("50ms") Duration maxPause) {

    public ConflictProperties {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("app.conflicts.max-attempts must be at least 1, not " + maxAttempts);
        }
    }
}
