package io.github.orderstock.support.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/**
 * The lenient Jackson 2 mapper of this service (docs/adr/0008): Axon's serializer (events, snapshots, tokens) and the
 * problem bodies written outside Spring MVC use it, and each service's web layer makes its HTTP converter from it.
 * Defined here rather than left to auto-configuration because Axon 4's {@code ObjectMapperAutoConfiguration} orders
 * itself after a Spring Boot 3 class that Boot 4 no longer has: left alone, its plain {@code new ObjectMapper()}
 * (failing on unknown properties, dates as numbers) could win over Boot's and change the stored JSON. Built by Boot's
 * {@code Jackson2ObjectMapperBuilder}, it is the mapper Boot 3 made: unknown properties ignored (newer events stay
 * readable), dates as ISO-8601 strings, the Java time, {@code Optional} and parameter-name modules.
 */
@Configuration(proxyBeanMethods = false)
public class JacksonConfig {

    @Bean
    ObjectMapper objectMapper(Jackson2ObjectMapperBuilder builder) {
        return builder.build();
    }
}
