package io.github.orderstock.support.web;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.http.ProblemDetail;

/**
 * Documents every error answer as what it is: RFC 9457 {@code application/problem+json} with {@link ProblemDetail}'s
 * fields. A controller describes an error status in one line, {@code @ApiResponse(responseCode = "404", description =
 * "...")}; without this, springdoc would document it with the operation's own return type. The examples an annotation
 * gives for {@code application/problem+json} are kept.
 */
public class ProblemDocumentation implements OpenApiCustomizer {

    private static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    @Override
    public void customise(OpenAPI api) {
        if (api.getComponents() == null) {
            api.setComponents(new Components());
        }
        ModelConverters.getInstance().read(ProblemDetail.class).forEach(api.getComponents()::addSchemas);
        Schema<?> problem = new Schema<>()
                .$ref(Components.COMPONENTS_SCHEMAS_REF + ProblemDetail.class.getSimpleName());
        api.getPaths().values().stream()
                .flatMap(path -> path.readOperations().stream())
                .flatMap(operation -> operation.getResponses().entrySet().stream())
                .filter(response -> response.getKey().matches("[45]\\d\\d"))
                .forEach(response -> documentAsProblem(response.getValue(), problem));
    }

    private static void documentAsProblem(ApiResponse response, Schema<?> problem) {
        Content content = response.getContent();
        MediaType given = content == null ? null : content.get(PROBLEM_JSON);
        MediaType type = given == null ? new MediaType() : given;
        if (type.getSchema() == null) {
            type.setSchema(problem);
        }
        response.setContent(new Content().addMediaType(PROBLEM_JSON, type));
    }
}
