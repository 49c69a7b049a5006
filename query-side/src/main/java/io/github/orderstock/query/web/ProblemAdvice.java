package io.github.orderstock.query.web;

import io.github.orderstock.support.web.Problems;
import java.util.concurrent.CompletionException;

import com.mongodb.MongoException;
import io.github.orderstock.query.replay.KafkaUnavailableException;
import io.github.orderstock.query.replay.ReplayAlreadyRunningException;
import io.github.orderstock.query.replay.ReplayNotPossibleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The one place where failures of the query side become RFC 9457 problems. */
@RestControllerAdvice
class ProblemAdvice extends Problems {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    @ExceptionHandler
    ProblemDetail notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
    }

    @ExceptionHandler({ReplayNotPossibleException.class, KafkaUnavailableException.class})
    ResponseEntity<ProblemDetail> replayUnavailable(RuntimeException e) {
        log.warn(e.getMessage(), e.getCause());
        return unavailable(e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail replayRunning(ReplayAlreadyRunningException e) {
        return problem(HttpStatus.CONFLICT, "Replay already running", e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> liveStreamsExhausted(LiveStreamsExhaustedException e) {
        return retryAfter(10)
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
}
