package io.github.orderstock.command.web;

import java.net.URI;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

/** Orders and products are read on the query side, so that is where a {@code Location} points. */
@Component
@EnableConfigurationProperties(HttpProperties.class)
class Locations {

    private final String querySideUrl;

    Locations(HttpProperties http) {
        this.querySideUrl = http.querySideUrl().toString();
    }

    URI order(String orderId) {
        return UriComponentsBuilder.fromUriString(querySideUrl).path("/orders/{id}").build(orderId);
    }

    URI product(String productId) {
        return UriComponentsBuilder.fromUriString(querySideUrl).path("/products/{id}").build(productId);
    }
}
