package io.github.orderstock.support.web;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Base of each service's {@code @RestControllerAdvice}, with the problems both services give alike: a 400 that lists
 * each invalid field or parameter, and a 503 that says when to repeat the request. Every problem names RFC 9457's
 * default type, {@code about:blank}, as our documented bodies do. Spring 7 no longer fills it in, so the problems
 * Spring MVC builds itself (405, 406, 415, ...) get it here, and {@link #problem} gives it to ours.
 */
public abstract class Problems extends ResponseEntityExceptionHandler {

    public static final URI ABOUT_BLANK = URI.create("about:blank");

    /** One entry of a problem's {@code errors} list: the field (or parameter) and what is wrong with it. */
    public record FieldProblem(String field, String detail) {
    }

    /** A problem with the default type, a title and a detail. */
    public static ProblemDetail problem(HttpStatusCode status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(ABOUT_BLANK);
        problem.setTitle(title);
        return problem;
    }

    /** A 503 whose {@code Retry-After} asks for a second's wait. */
    public static ResponseEntity<ProblemDetail> unavailable(String detail) {
        return unavailable(detail, 1);
    }

    /** A 503 whose {@code Retry-After} asks for {@code retryAfterSeconds}, a second at least. */
    public static ResponseEntity<ProblemDetail> unavailable(String detail, long retryAfterSeconds) {
        return retryAfter(retryAfterSeconds)
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", detail));
    }

    /** The start of a 503 whose {@code Retry-After} asks for {@code seconds}, a second at least. */
    public static ResponseEntity.BodyBuilder retryAfter(long seconds) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, seconds)));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        List<FieldProblem> errors = e.getBindingResult().getFieldErrors().stream()
                .map(error -> new FieldProblem(error.getField(), error.getDefaultMessage()))
                .toList();
        return invalid(errors, headers);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
                                                                            HttpHeaders headers,
                                                                            HttpStatusCode status,
                                                                            WebRequest request) {
        // A request body's errors name its fields (restock's "quantity"), not the method parameter ("request").
        List<FieldProblem> errors = e.getParameterValidationResults().stream()
                .flatMap(result -> result instanceof ParameterErrors body && body.hasFieldErrors()
                        ? body.getFieldErrors().stream()
                        .map(error -> new FieldProblem(error.getField(), error.getDefaultMessage()))
                        : result.getResolvableErrors().stream()
                        .map(error -> new FieldProblem(result.getMethodParameter().getParameterName(),
                                error.getDefaultMessage())))
                .toList();
        return invalid(errors, headers);
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
                                                          HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem && problem.getType() == null) {
            problem.setType(ABOUT_BLANK);
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    private static ResponseEntity<Object> invalid(List<FieldProblem> errors, HttpHeaders headers) {
        String detail = errors.stream()
                .map(error -> "'" + error.field() + "' " + error.detail())
                .sorted()
                .collect(Collectors.joining("; ")) + ".";
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid request", detail);
        problem.setProperty("errors", errors);
        return ResponseEntity.badRequest().headers(headers).body(problem);
    }
}
