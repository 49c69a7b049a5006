package io.github.orderstock.command.web;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code app.http.*}: the command side's HTTP API.
 *
 * @param querySideUrl where orders and products are read: the base of every {@code Location} header
 * @param maxBodyBytes bodies are a few dozen bytes; a larger one is refused with 413 before it is parsed
 */
@ConfigurationProperties("app.http")
public record HttpProperties(@DefaultValue("http://localhost:3001") URI querySideUrl,
                             @DefaultValue("16384") long maxBodyBytes) {
}
