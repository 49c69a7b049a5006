package io.github.orderstock.command.config;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.axonframework.common.IdentifierFactory;

/**
 * Random (version 4) UUIDs for Axon's message identifiers, from a per-thread generator. Axon's default calls
 * {@link UUID#randomUUID()}, whose one shared {@code SecureRandom} made request threads queue (JFR, 64 clients: 75 ms
 * per wait); these identifiers name messages, they protect nothing, so they need uniqueness, not secrecy. Found by
 * Axon through {@code META-INF/services/org.axonframework.common.IdentifierFactory}.
 */
public class RandomIdentifierFactory extends IdentifierFactory {

    @Override
    public String generateIdentifier() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
