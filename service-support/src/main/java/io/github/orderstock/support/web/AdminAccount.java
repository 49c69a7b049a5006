package io.github.orderstock.support.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code app.admin.*}: the one admin account (HTTP Basic) for admin operations and metrics.
 *
 * @param user     its name
 * @param password its password; none (blank): nobody is admin
 */
@ConfigurationProperties("app.admin")
record AdminAccount(@DefaultValue("admin") String user, @DefaultValue("") String password) {
}
