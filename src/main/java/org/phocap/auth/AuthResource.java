package org.phocap.auth;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.phocap.platform.ApiTags;
import org.phocap.platform.ClientAddress;

@Tag(name = ApiTags.SIGN_IN, description = ApiTags.SIGN_IN_ABOUT)
@Path("/api/v1/auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {
    private final AuthService auth;
    private final CurrentUser user;

    public AuthResource(AuthService auth, CurrentUser user) {
        this.auth = auth;
        this.user = user;
    }

    @POST
    @Path("/login")
    @SecurityRequirements
    @Operation(summary = "Sign in: staff with username and password, learners with phone and PIN")
    @APIResponse(responseCode = "200", description = "Tokens")
    @APIResponse(responseCode = "401", description = "Wrong credentials")
    @APIResponse(responseCode = "429", description = "Too many failures: locked for a while")
    public Uni<TokenPair> login(@Valid @NotNull AuthRequests.Login request, @Context HttpServerRequest http) {
        return auth.login(request, ClientAddress.of(http));
    }

    @POST
    @Path("/activate")
    @SecurityRequirements
    @Operation(summary = "Activate a learner with the one-time code from the roster import and choose a 6-digit PIN")
    @APIResponse(responseCode = "200", description = "Tokens")
    @APIResponse(responseCode = "400", description = "Wrong or used code, or a bad PIN")
    public Uni<TokenPair> activate(@Valid @NotNull AuthRequests.Activate request, @Context HttpServerRequest http) {
        return auth.activate(request, ClientAddress.of(http));
    }

    @POST
    @Path("/refresh")
    @SecurityRequirements
    @Operation(summary = "Trade a refresh token for new tokens; each refresh token works once")
    @APIResponse(
            responseCode = "200",
            description = "New tokens; the refresh token sent is spent",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = TokenPair.class)))
    @APIResponse(responseCode = "401", description = "Unknown, expired or reused refresh token")
    public Uni<TokenPair> refresh(@Valid @NotNull AuthRequests.Refresh request) {
        return auth.refresh(request);
    }

    @POST
    @Path("/logout")
    @Authenticated
    @Consumes(MediaType.WILDCARD)
    @ResponseStatus(204)
    @Operation(summary = "Revoke the refresh tokens of this sign-in")
    public Uni<Void> logout() {
        return auth.logout(user.family());
    }
}
