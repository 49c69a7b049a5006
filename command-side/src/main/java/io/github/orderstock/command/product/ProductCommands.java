package io.github.orderstock.command.product;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Sends commands to products and retries those that lost a race with another command-side instance (ADR 11). Several
 * instances share the event store, and each may hold a product in its cache that another instance has changed since:
 * the stale product's events then collide with the other instance's at the same place of the stream (the keys
 * {@code <productId>/<sequence>}), the unit of work fails with {@link ConcurrencyException} before anything of it is
 * stored, and Axon's caching repository drops the product from the cache. The command is then sent again and decided
 * on the product as stored, after a short random pause (so that two instances that collide do not collide again in
 * step). Only after {@code maxAttempts} is the conflict answered (503 with {@code Retry-After}, ProblemAdvice).
 */
@Component
@EnableConfigurationProperties(ConflictProperties.class)
public class ProductCommands {

    private static final Logger log = LoggerFactory.getLogger(ProductCommands.class);

    private final CommandGateway commands;
    private final int maxAttempts;
    private final Duration maxPause;
    private final Counter retried;
    private final Counter refused;

    ProductCommands(CommandGateway commands, MeterRegistry meters, ConflictProperties settings) {
        this.commands = commands;
        this.maxAttempts = settings.maxAttempts();
        this.maxPause = settings.maxPause();
        this.retried = Counter.builder("orderstock.product.conflicts").tag("outcome", "retried")
                .description("Commands that collided with another instance's change of the product").register(meters);
        this.refused = Counter.builder("orderstock.product.conflicts").tag("outcome", "refused")
                .description("Commands that collided too often and were answered 503").register(meters);
    }

    /**
     * Sends the command and waits up to {@code timeout} per attempt for its result. Safe to repeat because a
     * conflicting unit of work stored nothing: its first event is the one refused (events are inserted in order).
     */
    public <R> R sendAndWait(Object command, Duration timeout) {
        for (int attempt = 1; ; attempt++) {
            try {
                return commands.sendAndWait(command, timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ConcurrencyException e) {
                if (attempt >= maxAttempts) {
                    refused.increment();
                    log.warn("{} lost {} races in a row with another instance changing the same product; giving up",
                            command.getClass().getSimpleName(), attempt);
                    throw e;
                }
                retried.increment();
                pause(attempt);
            }
        }
    }

    /** Up to 2, 4, 8 … ms, at most {@code maxPause}, chosen at random. */
    private void pause(int attempt) {
        long boundMicros = Math.min(maxPause.toNanos() / 1_000, 1_000L << Math.min(attempt, 20));
        try {
            TimeUnit.MICROSECONDS.sleep(ThreadLocalRandom.current().nextLong(boundMicros + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
