package org.phocap.platform;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/** Documents that any API operation may answer an error as application/problem+json. */
public class ProblemResponsesFilter implements OASFilter {
    /** Every parameter described, with its allowed values (OpenApiDocs). */
    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        OpenApiDocs.describeParameters(openAPI);
    }

    @Override
    public Operation filterOperation(Operation operation) {
        APIResponses responses = operation.getResponses();
        if (responses != null && responses.getDefaultValue() == null) {
            responses.setDefaultValue(OASFactory.createAPIResponse()
                    .description("Error (RFC 9457 problem details)")
                    .content(OASFactory.createContent()
                            .addMediaType(
                                    Problem.MEDIA_TYPE,
                                    OASFactory.createMediaType()
                                            .schema(OASFactory.createSchema().ref("Problem")))));
        }
        return operation;
    }
}
