package io.github.orderstock.support.web;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * The API is open; admin operations ({@code /admin/**}) and metrics need the admin's credentials (HTTP Basic, from
 * {@code ADMIN_USER} / {@code ADMIN_PASSWORD}). Without a configured password nobody is admin. Health is open, its
 * details only for the admin. Refusals are problem+json like every other error.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({AdminAccount.class, AdminLogins.class})
public class SecurityConfig {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);
    static final String REALM = "order-stock admin";

    @Bean
    SecurityFilterChain api(HttpSecurity http, ObjectMapper json, AdminLogins logins) throws Exception {
        // Not a bean: as one, Spring Boot would also register it as a servlet filter for every request.
        var throttle = new LoginThrottle(logins, Clock.systemUTC(), (request, response, retryAfter) -> {
            response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, retryAfter.toSeconds())));
            refuse(json, request, response, HttpStatus.TOO_MANY_REQUESTS, "Too many failed logins",
                    "Too many failed admin logins from this address; try again after Retry-After seconds.");
        });
        return http
                .addFilterBefore(throttle, BasicAuthenticationFilter.class)
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/admin/**", "/actuator/**").hasRole("ADMIN")
                        .anyRequest().permitAll())
                .httpBasic(basic -> basic.realmName(REALM).authenticationEntryPoint((request, response, e) -> {
                    if (request.getHeader(HttpHeaders.AUTHORIZATION) != null) {
                        throttle.failed(request);
                    }
                    refuse(json, request, response, HttpStatus.UNAUTHORIZED, "Authentication required",
                            "This needs the admin's credentials: HTTP Basic with ADMIN_USER and ADMIN_PASSWORD.");
                }))
                .exceptionHandling(handling -> handling.accessDeniedHandler((request, response, e) ->
                        refuse(json, request, response, HttpStatus.FORBIDDEN, "Forbidden",
                                "Only the admin may do this.")))
                .build();
    }

    /**
     * BCrypt at its lowest work factor: every admin request is checked (the benchmark polls a replay's progress), and
     * at the default factor each check took ~0.1 s of CPU. The hash only guards the in-memory copy of a password that
     * is in the environment anyway. As a bean it is also what checks the password, so Spring does not "upgrade" the
     * hash to the default factor after the first login.
     */
    @Bean
    PasswordEncoder adminPasswordEncoder() {
        return new BCryptPasswordEncoder(4);
    }

    @Bean
    UserDetailsService admins(AdminAccount admin, PasswordEncoder encoder) {
        if (admin.password().isBlank()) {
            log.warn("No ADMIN_PASSWORD is set: admin operations and metrics refuse everyone. Set ADMIN_USER and "
                    + "ADMIN_PASSWORD to use them.");
            return new InMemoryUserDetailsManager();
        }
        return new InMemoryUserDetailsManager(User.withUsername(admin.user())
                .password(encoder.encode(admin.password())).roles("ADMIN").build());
    }

    private static void refuse(ObjectMapper json, HttpServletRequest request, HttpServletResponse response,
                               HttpStatus status, String title, String detail) throws IOException {
        ProblemDetail problem = Problems.problem(status, title, detail);
        problem.setInstance(URI.create(request.getRequestURI()));
        if (status == HttpStatus.UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
        }
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
