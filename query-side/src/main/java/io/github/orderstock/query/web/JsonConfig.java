package io.github.orderstock.query.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;

/**
 * Responses are written by the service's Jackson 2 mapper, in place of Spring Boot 4's Jackson 3 converter (which
 * springdoc brings onto the class path; docs/adr/0008). Order 1 runs this after Boot's own JSON customizer (order 0),
 * which would otherwise put its converter back.
 */
@Configuration(proxyBeanMethods = false)
class JsonConfig {

    @Bean
    @Order(1)
    ServerHttpMessageConvertersCustomizer jackson2JsonConverter(ObjectMapper objectMapper) {
        var converter = new MappingJackson2HttpMessageConverter(objectMapper);
        return converters -> converters.withJsonConverter(converter);
    }
}
