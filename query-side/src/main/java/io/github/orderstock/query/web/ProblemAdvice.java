package io.github.orderstock.query.web;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

import com.mongodb.MongoException;
import io.github.orderstock.query.replay.KafkaUnavailableException;
import io.github.orderstock.query.replay.ReplayAlreadyRunningException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** The one place where failures of the query side become RFC 9457 problems. */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

    /**
     * RFC 9457's default type, which our problem bodies name. Spring 7 no longer fills it in, so problems that Spring
     * MVC builds itself (405, 406, 415, ...) get it here.
     */
    private static final URI ABOUT_BLANK = URI.create("about:blank");

    @Override
    protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
                                                          HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem && problem.getType() == null) {
            problem.setType(ABOUT_BLANK);
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    /** One entry of a problem's {@code errors} list: the field (or parameter) and what is wrong with it. */
    record FieldProblem(String field, String detail) {
    }

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    @ExceptionHandler
    ProblemDetail notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail replayRunning(ReplayAlreadyRunningException e) {
        return problem(HttpStatus.CONFLICT, "Replay already running", e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> kafkaUnavailable(KafkaUnavailableException e) {
        log.warn(e.getMessage(), e.getCause());
        return unavailable(e.getMessage());
    }

    @ExceptionHandler({MongoException.class, CompletionException.class})
    ResponseEntity<ProblemDetail> readModelUnavailable(RuntimeException e) {
        log.error("Reading the read model failed; is MongoDB reachable?", e);
        return unavailable("The read model is not available right now; repeat the request in a few seconds.");
    }

    @ExceptionHandler
    ProblemDetail unexpected(Exception e) {
        log.error("Unexpected failure while handling a request", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "The request failed unexpectedly.");
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
                                                                            HttpHeaders headers,
                                                                            HttpStatusCode status,
                                                                            WebRequest request) {
        List<FieldProblem> errors = e.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream()
                        .map(error -> new FieldProblem(result.getMethodParameter().getParameterName(),
                                String.valueOf(error.getDefaultMessage()))))
                .toList();
        String detail = errors.stream().map(error -> "'" + error.field() + "' " + error.detail())
                .collect(Collectors.joining("; ")) + ".";
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid request", detail);
        problem.setProperty("errors", errors);
        return ResponseEntity.badRequest().headers(headers).body(problem);
    }

    private static ResponseEntity<ProblemDetail> unavailable(String detail) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", detail));
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(ABOUT_BLANK);
        problem.setTitle(title);
        return problem;
    }
}
