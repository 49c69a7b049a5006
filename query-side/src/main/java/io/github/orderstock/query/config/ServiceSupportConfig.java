package io.github.orderstock.query.config;

import io.github.orderstock.support.ServiceSupport;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The plumbing both services share (module service-support): admin security, problem+json outside Spring MVC,
 * MongoDB deadlines and health, the Jackson 2 mapper. Here rather than on the application class, so that web-slice
 * tests, which leave configuration classes out, do not start it.
 */
@Configuration(proxyBeanMethods = false)
@Import(ServiceSupport.class)
class ServiceSupportConfig {
}
