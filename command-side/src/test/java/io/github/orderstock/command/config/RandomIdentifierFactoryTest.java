package io.github.orderstock.command.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.axonframework.common.IdentifierFactory;
import org.junit.jupiter.api.Test;

class RandomIdentifierFactoryTest {

    @Test
    void axonUsesItAndItMakesDistinctVersion4Uuids() {
        IdentifierFactory factory = IdentifierFactory.getInstance();
        assertThat(factory).isInstanceOf(RandomIdentifierFactory.class);

        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String id = factory.generateIdentifier();
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            seen.add(id);
        }
        assertThat(seen).hasSize(100_000);
    }
}
