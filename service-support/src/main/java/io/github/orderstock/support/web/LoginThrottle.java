package io.github.orderstock.support.web;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Throttles guessing of the admin's password: after {@code maxFailures} failed logins from one client address within
 * {@code window}, requests from that address that carry credentials are refused with 429 (and {@code Retry-After})
 * until the window ends, before their password is checked. Other addresses, and requests without credentials, are
 * not affected. At most {@code maxAddresses} addresses are remembered; past that, new ones share one count.
 * In memory, per instance: each instance throttles what it sees.
 */
final class LoginThrottle extends OncePerRequestFilter {

    /** Answers a throttled request; {@code retryAfter} is when the address may try again. */
    @FunctionalInterface
    interface Refusal {
        void refuse(HttpServletRequest request, HttpServletResponse response, Duration retryAfter) throws IOException;
    }

    private record Failures(int count, long windowEndsMillis) {
    }

    static final String OVERFLOW = "(other addresses)";

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final AdminLogins settings;
    private final Clock clock;
    private final Refusal refusal;

    LoginThrottle(AdminLogins settings, Clock clock, Refusal refusal) {
        this.settings = settings;
        this.clock = clock;
        this.refusal = refusal;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getHeader(HttpHeaders.AUTHORIZATION) != null) {
            Failures seen = failures.get(key(request.getRemoteAddr()));
            long now = clock.millis();
            if (seen != null && seen.count() >= settings.maxFailures() && now < seen.windowEndsMillis()) {
                refusal.refuse(request, response, Duration.ofMillis(seen.windowEndsMillis() - now));
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** Counts a failed login of the request's client address. */
    void failed(HttpServletRequest request) {
        long now = clock.millis();
        failures.merge(key(request.getRemoteAddr()), new Failures(1, now + settings.window().toMillis()),
                (old, first) -> now >= old.windowEndsMillis() ? first
                        : new Failures(old.count() + 1, old.windowEndsMillis()));
    }

    private String key(String address) {
        if (failures.containsKey(address) || failures.size() < settings.maxAddresses()) {
            return address;
        }
        long now = clock.millis();
        failures.values().removeIf(seen -> now >= seen.windowEndsMillis());
        return failures.size() < settings.maxAddresses() ? address : OVERFLOW;
    }
}
