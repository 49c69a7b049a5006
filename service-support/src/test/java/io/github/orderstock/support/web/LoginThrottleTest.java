package io.github.orderstock.support.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.orderstock.support.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class LoginThrottleTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final List<Duration> refusals = new ArrayList<>();
    private final LoginThrottle throttle = new LoginThrottle(new AdminLogins(3, Duration.ofSeconds(60), 2), clock,
            (request, response, retryAfter) -> refusals.add(retryAfter));

    @Test
    void refusesAnAddressWithTooManyFailuresUntilItsWindowEnds() throws Exception {
        fail("10.0.0.1", 3);
        assertThat(passes("10.0.0.1", true)).isFalse();
        assertThat(refusals).containsExactly(Duration.ofSeconds(60));
        clock.advance(Duration.ofSeconds(59));
        assertThat(passes("10.0.0.1", true)).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(passes("10.0.0.1", true)).isTrue();
    }

    @Test
    void letsOtherAddressesAndRequestsWithoutCredentialsThrough() throws Exception {
        fail("10.0.0.1", 3);
        assertThat(passes("10.0.0.2", true)).isTrue();
        assertThat(passes("10.0.0.1", false)).isTrue();
    }

    @Test
    void fewerFailuresThanTheLimitAreNotRefused() throws Exception {
        fail("10.0.0.1", 2);
        assertThat(passes("10.0.0.1", true)).isTrue();
    }

    @Test
    void addressesBeyondTheLimitShareOneCount() throws Exception {
        fail("10.0.0.1", 1);
        fail("10.0.0.2", 1);
        fail("10.0.0.3", 2);
        fail("10.0.0.4", 1);
        assertThat(passes("10.0.0.5", true)).as("a new address, counted with the other overflowing ones")
                .isFalse();
        assertThat(passes("10.0.0.1", true)).isTrue();
    }

    private void fail(String address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(request(address, true));
        }
    }

    private boolean passes(String address, boolean withCredentials) throws Exception {
        var chain = new MockFilterChain();
        throttle.doFilter(request(address, withCredentials), new MockHttpServletResponse(), chain);
        return chain.getRequest() != null;
    }

    private static MockHttpServletRequest request(String address, boolean withCredentials) {
        var request = new MockHttpServletRequest("GET", "/actuator/metrics");
        request.setRemoteAddr(address);
        if (withCredentials) {
            request.addHeader("Authorization", "Basic eDp5");
        }
        return request;
    }
}
