package org.phocap.integrity;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.phocap.auth.CurrentUser;
import org.phocap.auth.Role;
import org.phocap.locality.StaffScope;
import org.phocap.platform.ApiTags;

/** A supporter's review of an integrity flag in their scope. */
@Tag(name = ApiTags.INTEGRITY, description = ApiTags.INTEGRITY_ABOUT)
@Path("/api/v1/integrity-flags")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.ADMIN, Role.SUPPORTER})
public class IntegrityReviewResource {
    private final IntegrityFlags flags;
    private final StaffScope scopes;
    private final CurrentUser user;

    public IntegrityReviewResource(IntegrityFlags flags, StaffScope scopes, CurrentUser user) {
        this.flags = flags;
        this.scopes = scopes;
        this.user = user;
    }

    @POST
    @Path("/{flagId}/review")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Review a flag: decision CLEARED (certificates it held are issued unless another flag holds them) "
                            + "or CONFIRMED (they stay held); note up to 1000 characters. Audited; a later review may change it. "
                            + "404 outside the caller's scope")
    @APIResponse(
            responseCode = "200",
            description = "The flag as reviewed",
            content = @Content(schema = @Schema(implementation = IntegrityFlags.FlagView.class)))
    public Uni<IntegrityFlags.FlagView> review(@PathParam("flagId") long flagId, IntegrityFlags.Review review) {
        return scopes.scope().flatMap(scope -> flags.review(flagId, review, user.subject(), scope));
    }
}
