package org.phocap.campaign;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.phocap.auth.CurrentUser;
import org.phocap.auth.Role;
import org.phocap.campaign.SupportDtos.SupportView;
import org.phocap.platform.ApiTags;

@Tag(name = ApiTags.CAMPAIGNS, description = ApiTags.CAMPAIGNS_ABOUT)
@Path("/api/v1/me/support")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.LEARNER)
public class MySupportResource {
    private final SupportService support;
    private final CurrentUser user;

    public MySupportResource(SupportService support, CurrentUser user) {
        this.support = support;
        this.user = user;
    }

    @GET
    @Operation(summary = "The learner's nearest support up their locality tree (village, commune, district, province)")
    public Uni<SupportView> mine() {
        return support.forLearner(user.subject().id());
    }
}
