package io.github.orderstock.support.web;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Base of each service's {@code @RestControllerAdvice}: every problem names RFC 9457's default type,
 * {@code about:blank}, as our documented bodies do. Spring 7 no longer fills it in, so the problems Spring MVC builds
 * itself (405, 406, 415, ...) get it here, and {@link #problem} gives it to ours.
 */
public abstract class Problems extends ResponseEntityExceptionHandler {

    public static final URI ABOUT_BLANK = URI.create("about:blank");

    /** A problem with the default type, a title and a detail. */
    public static ProblemDetail problem(HttpStatusCode status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(ABOUT_BLANK);
        problem.setTitle(title);
        return problem;
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
                                                          HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem && problem.getType() == null) {
            problem.setType(ABOUT_BLANK);
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }
}
