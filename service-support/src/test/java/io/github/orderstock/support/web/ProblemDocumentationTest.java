package io.github.orderstock.support.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.junit.jupiter.api.Test;

class ProblemDocumentationTest {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String PROBLEM_SCHEMA = "#/components/schemas/ProblemDetail";

    @Test
    void everyErrorAnswerIsDocumentedAsAProblemAndItsExamplesStay() {
        Content returnType = new Content().addMediaType("application/json",
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/PlacedOrder")));
        Example insufficient = new Example().value("{\"title\":\"Insufficient stock\"}");
        var responses = new ApiResponses()
                .addApiResponse("201", new ApiResponse().description("Placed").content(returnType))
                .addApiResponse("404", new ApiResponse().description("Unknown product").content(returnType))
                .addApiResponse("409", new ApiResponse().description("Insufficient stock").content(new Content()
                        .addMediaType(PROBLEM_JSON, new MediaType().addExamples("insufficient", insufficient))))
                .addApiResponse("503", new ApiResponse().description("Storage unavailable"));
        var api = new OpenAPI().paths(new Paths().addPathItem("/orders",
                new PathItem().post(new Operation().responses(responses))));

        new ProblemDocumentation().customise(api);

        assertThat(responses.get("201").getContent()).as("a success keeps its own body").isSameAs(returnType);
        for (String status : new String[] {"404", "409", "503"}) {
            Content content = responses.get(status).getContent();
            assertThat(content.keySet()).as(status).containsExactly(PROBLEM_JSON);
            assertThat(content.get(PROBLEM_JSON).getSchema().get$ref()).as(status).isEqualTo(PROBLEM_SCHEMA);
        }
        assertThat(responses.get("409").getContent().get(PROBLEM_JSON).getExamples())
                .containsEntry("insufficient", insufficient);
        assertThat(api.getComponents().getSchemas()).containsKey("ProblemDetail");
        assertThat(api.getComponents().getSchemas().get("ProblemDetail").getProperties())
                .containsKeys("type", "title", "status", "detail", "instance");
    }
}
