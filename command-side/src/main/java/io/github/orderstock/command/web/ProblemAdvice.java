package io.github.orderstock.command.web;

import io.github.orderstock.support.web.Problems;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.mongodb.MongoException;
import io.github.orderstock.command.placement.OrderOutcomePendingException;
import io.github.orderstock.command.product.InsufficientStockException;
import io.github.orderstock.command.product.OrderIdConflictException;
import io.github.orderstock.command.product.StockLimitExceededException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;

/**
 * The one place where failures become RFC 9457 problems. Details say what to fix; no stack traces and no internal
 * class names reach a client.
 */
@RestControllerAdvice
class ProblemAdvice extends Problems {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    @ExceptionHandler
    ProblemDetail insufficientStock(InsufficientStockException e) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "Insufficient stock", e.getMessage());
        problem.setProperty("productId", e.productId());
        problem.setProperty("requested", e.requested());
        problem.setProperty("available", e.available());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail orderIdConflict(OrderIdConflictException e) {
        return problem(HttpStatus.CONFLICT, "Order id already used", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail stockLimit(StockLimitExceededException e) {
        return problem(HttpStatus.CONFLICT, "Stock limit exceeded", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail unknownProduct(AggregateNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Unknown product",
                "There is no product '%s'; add it with POST /products first.".formatted(e.getAggregateIdentifier()));
    }

    @ExceptionHandler
    ProblemDetail productExists(AggregateStreamCreationException e) {
        return problem(HttpStatus.CONFLICT, "Product already exists",
                "A product with this id exists already; restock it with POST /products/{id}/restock.");
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> concurrentChange(ConcurrencyException e) {
        log.warn("Concurrent change of the same product by another instance: {}", e.getMessage());
        return unavailable("The product was changed concurrently; repeat the request.");
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> outcomePending(OrderOutcomePendingException e) {
        return unavailable(e.getMessage(), e.retryAfter().toSeconds());
    }

    @ExceptionHandler({CommandExecutionException.class, EventStoreException.class, MongoException.class})
    ResponseEntity<ProblemDetail> storageUnavailable(RuntimeException e) {
        log.error("A request failed on the event store or the command bus and was answered 503. Check that MongoDB "
                + "answers at MONGO_URI (GET /actuator/health/readiness says DOWN while it does not); with the dev "
                + "stack, see data/logs/mongo.log, and if its disk is full free space there: the stand-in is "
                + "restarted by ./start on its own.", e);
        return unavailable("The order store is not available right now; repeat the request in a few seconds. "
                + "Repeating an order with the same order id is safe.");
    }

    @ExceptionHandler
    ProblemDetail unexpected(Exception e) {
        log.error("Unexpected failure while handling a request", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "The request failed unexpectedly; it is safe to repeat it with the same ids.");
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        if (e.getCause() instanceof BodySizeLimit.BodyTooLargeException tooLarge) {
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).headers(headers).body(problem(
                    HttpStatus.PAYLOAD_TOO_LARGE, "Request body too large",
                    tooLarge.getMessage() + " Send one order of a few dozen bytes per request."));
        }
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Malformed request body", unreadable(e));
        return ResponseEntity.badRequest().headers(headers).body(problem);
    }

    private static String unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return "Unknown field '%s'; the allowed fields are %s.".formatted(unknown.getPropertyName(),
                    unknown.getKnownPropertyIds());
        }
        if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            return "Field '%s' has a value of the wrong type: %s.".formatted(path(mismatch),
                    expected(mismatch.getTargetType()));
        }
        if (cause instanceof MismatchedInputException) {
            return "The body must be a JSON object.";
        }
        if (cause instanceof JsonParseException parse) {
            return "The body is not valid JSON (line %d, column %d): %s.".formatted(
                    parse.getLocation().getLineNr(), parse.getLocation().getColumnNr(), parse.getOriginalMessage());
        }
        return "The request body is missing or not valid JSON; send a JSON object.";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(reference -> reference.getFieldName() != null ? reference.getFieldName()
                        : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String expected(Class<?> type) {
        if (type == Integer.class || type == int.class) {
            return "expected " + Quantity.RULE;
        }
        if (type == String.class) {
            return "expected a string";
        }
        return "expected a JSON value of another type";
    }
}
