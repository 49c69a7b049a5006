package io.github.orderstock.command.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;

/**
 * Request bodies are read strictly (unknown fields, duplicate keys, trailing garbage and fractions are errors). Only
 * HTTP uses this mapper: the event serializer keeps the lenient one ({@code JacksonConfig}), so newer events stay
 * readable.
 * <p>
 * The converter takes the place of Spring Boot's JSON converter in the server's list, after the String and byte[]
 * converters as before; a converter registered as a plain bean would go ahead of them. Order 1 runs this after Boot's
 * own JSON customizer (order 0), which would otherwise put its Jackson 3 converter back (docs/adr/0008).
 */
@Configuration(proxyBeanMethods = false)
class StrictJsonConfig {

    @Bean
    @Order(1)
    ServerHttpMessageConvertersCustomizer strictJsonConverter(Jackson2ObjectMapperBuilder builder) {
        var converter = new MappingJackson2HttpMessageConverter(strict(builder.build()));
        return converters -> converters.withJsonConverter(converter);
    }

    private static ObjectMapper strict(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // Ids are strings: a number, boolean or float where a string belongs is an error, not "1" or "true".
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }
}
