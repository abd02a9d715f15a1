package org.phocap.platform;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** RFC 9457 problem details, the single error shape of the API. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String TYPE_BASE = "https://phocap.org/problems/";
    public static final String MEDIA_TYPE = "application/problem+json";

    @RegisterForReflection
    public record FieldError(String field, String message) {}
}
