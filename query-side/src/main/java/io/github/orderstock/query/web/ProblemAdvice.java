package io.github.orderstock.query.web;

import io.github.orderstock.support.web.Problems;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

import com.mongodb.MongoException;
import io.github.orderstock.query.replay.KafkaUnavailableException;
import io.github.orderstock.query.replay.ReplayAlreadyRunningException;
import io.github.orderstock.query.replay.ReplayNotPossibleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;

/** The one place where failures of the query side become RFC 9457 problems. */
@RestControllerAdvice
class ProblemAdvice extends Problems {

    /** One entry of a problem's {@code errors} list: the field (or parameter) and what is wrong with it. */
    record FieldProblem(String field, String detail) {
    }

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    @ExceptionHandler
    ProblemDetail notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> replayNotPossible(ReplayNotPossibleException e) {
        log.warn(e.getMessage(), e.getCause());
        return unavailable(e.getMessage());
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

    @ExceptionHandler
    ResponseEntity<ProblemDetail> liveStreamsExhausted(LiveStreamsExhaustedException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "10")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Too many live streams", e.getMessage()));
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
}
