package io.github.orderstock.support.testing;

import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultMatcher;

/** How both services answer what they cannot do: a problem document (RFC 9457) with the status of the answer. */
public final class ProblemAnswers {

    private ProblemAnswers() {
    }

    /** The answer has this status and is a problem document. */
    public static ResultMatcher problem(HttpStatus status) {
        return result -> {
            status().is(status.value()).match(result);
            content().contentType(MediaType.APPLICATION_PROBLEM_JSON).match(result);
        };
    }
}
