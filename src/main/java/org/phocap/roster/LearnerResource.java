package org.phocap.roster;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.phocap.auth.CurrentUser;
import org.phocap.auth.Role;
import org.phocap.locality.StaffScope;
import org.phocap.platform.ApiTags;

@Tag(name = ApiTags.ROSTERS, description = ApiTags.ROSTERS_ABOUT)
@Path("/api/v1/learners/{id}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.ADMIN, Role.SUPPORTER})
public class LearnerResource {
    private final LearnerService learners;
    private final StaffScope scopes;
    private final CurrentUser user;

    public LearnerResource(LearnerService learners, StaffScope scopes, CurrentUser user) {
        this.learners = learners;
        this.scopes = scopes;
        this.user = user;
    }

    @GET
    @Operation(summary = "One learner (404 outside the caller's scope)")
    public Uni<LearnerView> get(@PathParam("id") long id) {
        return scopes.scope().flatMap(scope -> learners.get(id, scope));
    }

    @POST
    @Path("/activation-code")
    @Operation(
            summary =
                    "Account recovery: a fresh one-time activation code for a learner who forgot the PIN (shown once, "
                            + "expires after phocap.roster.recovery-code-ttl, replaces any earlier code, audited); activating with it sets a "
                            + "new PIN and ends every sign-in of the learner. 404 outside the caller's scope")
    public Uni<LearnerService.RecoveryCode> issueActivationCode(@PathParam("id") long id) {
        return scopes.scope().flatMap(scope -> learners.issueActivationCode(id, scope, user.subject()));
    }
}
