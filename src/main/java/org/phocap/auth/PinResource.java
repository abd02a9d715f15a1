package org.phocap.auth;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.phocap.platform.ApiTags;
import org.phocap.platform.ClientAddress;

/** A learner changes their own PIN. */
@Tag(name = ApiTags.SIGN_IN, description = ApiTags.SIGN_IN_ABOUT)
@Path("/api/v1/me/pin")
public class PinResource {
    private final AuthService auth;
    private final CurrentUser user;

    public PinResource(AuthService auth, CurrentUser user) {
        this.auth = auth;
        this.user = user;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.LEARNER)
    @Operation(
            summary = "Change the PIN: the current one and a new 6-digit one; every other sign-in of the learner ends")
    @APIResponse(responseCode = "204", description = "Changed")
    @APIResponse(
            responseCode = "400",
            description = "Wrong current PIN, or a new PIN that is not 6 digits or is the same")
    @APIResponse(responseCode = "429", description = "Too many wrong PINs: wait")
    public Uni<Void> change(@Valid @NotNull AuthRequests.ChangePin request, @Context HttpServerRequest http) {
        return auth.changePin(user.subject(), user.family(), request, ClientAddress.of(http));
    }
}
