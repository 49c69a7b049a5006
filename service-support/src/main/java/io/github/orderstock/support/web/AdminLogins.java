package io.github.orderstock.support.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Throttling of failed admin logins ({@code app.admin.login-throttle.*}, see {@link LoginThrottle}).
 *
 * @param maxFailures  failed logins from one address within {@code window} before it is refused with 429
 * @param window       how long failures are counted, and how long an address is then refused
 * @param maxAddresses how many client addresses are remembered at most
 */
@ConfigurationProperties("app.admin.login-throttle")
record AdminLogins(@DefaultValue("10") int maxFailures, @DefaultValue("60s") Duration window,
                   @DefaultValue("10000") int maxAddresses) {
}
