package org.phocap.campaign;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.phocap.auth.CurrentUser;
import org.phocap.auth.Role;
import org.phocap.campaign.AnnouncementService.Announce;
import org.phocap.locality.StaffScope;
import org.phocap.platform.ApiTags;

@Tag(name = ApiTags.CAMPAIGNS, description = ApiTags.CAMPAIGNS_ABOUT)
@Path("/api/v1/announcements")
@RolesAllowed({Role.ADMIN, Role.SUPPORTER})
public class AnnouncementResource {
    private final AnnouncementService announcements;
    private final StaffScope scopes;
    private final CurrentUser user;

    public AnnouncementResource(AnnouncementService announcements, StaffScope scopes, CurrentUser user) {
        this.announcements = announcements;
        this.scopes = scopes;
        this.user = user;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Announces to a campaign's learners (optionally one wave and/or a locality subtree): an "
                    + "'announcement' event on their lesson streams, shown to later connections until expiresAt")
    public Uni<Response> announce(@Valid @NotNull Announce request) {
        long staffId = user.staffId();
        return scopes.scope()
                .flatMap(scope -> announcements.announce(request, staffId, scope))
                .map(view -> Response.status(201).entity(view).build());
    }
}
