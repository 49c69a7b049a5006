package io.github.orderstock.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The OpenAPI description is a promise: every request example is named after the status it gets ("409 more than
 * the stock"), and this sends each one, in document order, to the running service on a fresh store with the seed.
 */
class ApiDocumentationTest extends RunningCommandSide {

    @Autowired
    ObjectMapper json;

    @Test
    void everyDocumentedExampleGetsItsDocumentedStatus() throws Exception {
        JsonNode api = json.readTree(http.getForObject("/v3/api-docs", String.class));
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = api.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            JsonNode operation = path.getValue().path("post");
            JsonNode examples = operation.path("requestBody").path("content").path("application/json")
                    .path("examples");
            for (Iterator<Map.Entry<String, JsonNode>> named = examples.fields(); named.hasNext(); ) {
                Map.Entry<String, JsonNode> example = named.next();
                String expected = example.getKey().substring(0, 3);
                String description = "POST " + path.getKey() + " with example '" + example.getKey() + "'";
                assertThat(operation.path("responses").has(expected)).as(description + " is documented").isTrue();

                JsonNode value = example.getValue().path("value");
                ResponseEntity<String> response = post(withExampleParameters(path.getKey(), operation),
                        value.isTextual() ? value.asText() : value.toString());

                assertThat(response.getStatusCode().value()).as(description + ": " + response.getBody())
                        .isEqualTo(Integer.parseInt(expected));
                if (response.getStatusCode().isError()) {
                    assertThat(response.getHeaders().getContentType()).as(description)
                            .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
                }
                checked++;
            }
        }
        assertThat(checked).as("documented examples").isGreaterThanOrEqualTo(12);
        assertThat(http.getForEntity("/v3/api-docs", String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void everyErrorAnswerIsDocumentedAsAProblem() throws Exception {
        JsonNode api = json.readTree(http.getForObject("/v3/api-docs", String.class));
        int errors = 0;
        for (JsonNode path : api.path("paths")) {
            for (JsonNode operation : path) {
                for (Iterator<Map.Entry<String, JsonNode>> responses = operation.path("responses").fields();
                     responses.hasNext(); ) {
                    Map.Entry<String, JsonNode> response = responses.next();
                    if (response.getKey().matches("[45]\\d\\d")) {
                        JsonNode content = response.getValue().path("content");
                        assertThat(content.fieldNames()).toIterable().as(response.getKey() + " " + operation)
                                .containsExactly(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                        assertThat(content.path(MediaType.APPLICATION_PROBLEM_JSON_VALUE).path("schema")
                                .path("$ref").asText()).isEqualTo("#/components/schemas/ProblemDetail");
                        errors++;
                    }
                }
            }
        }
        assertThat(errors).as("documented error answers").isGreaterThanOrEqualTo(10);
        assertThat(api.path("components").path("schemas").path("ProblemDetail").path("properties").has("detail"))
                .isTrue();
    }

    private static String withExampleParameters(String path, JsonNode operation) {
        String filled = path;
        for (JsonNode parameter : operation.path("parameters")) {
            filled = filled.replace("{" + parameter.path("name").asText() + "}", parameter.path("example").asText());
        }
        return filled;
    }
}
