package org.phocap.platform;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Holds the API-wide OpenAPI pieces: the problem schema every error answer uses. */
@OpenAPIDefinition(
        info = @Info(title = "phocap API", version = "1"),
        components = @Components(schemas = @Schema(name = "Problem", implementation = Problem.class)))
public class PhocapApplication extends Application {}
