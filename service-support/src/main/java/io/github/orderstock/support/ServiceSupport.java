package io.github.orderstock.support;

import io.github.orderstock.support.json.JacksonConfig;
import io.github.orderstock.support.metrics.AxonMetricsConfig;
import io.github.orderstock.support.mongo.MongoHealthConfig;
import io.github.orderstock.support.web.ProblemDocumentation;
import io.github.orderstock.support.web.ProblemErrorController;
import io.github.orderstock.support.web.SecurityConfig;
import io.github.orderstock.support.web.TomcatProblems;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * What both services run the same way, imported by each service's application class: the admin's security and the
 * login throttle, problem+json for errors outside Spring MVC (Tomcat's own and {@code /error}) and in the API's
 * description, MongoDB's deadlines and health, the Jackson 2 mapper, and Axon's meters.
 */
@Configuration(proxyBeanMethods = false)
@Import({SecurityConfig.class, TomcatProblems.class, ProblemErrorController.class, ProblemDocumentation.class,
        MongoHealthConfig.class, JacksonConfig.class, AxonMetricsConfig.class})
public class ServiceSupport {
}
