package org.phocap.roster;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.phocap.auth.Role;
import org.phocap.locality.StaffScope;
import org.phocap.platform.ApiTags;
import org.phocap.platform.Page;
import org.phocap.platform.PageConfig;
import org.phocap.platform.PageRequest;

@Tag(name = ApiTags.ROSTERS, description = ApiTags.ROSTERS_ABOUT)
@Path("/api/v1/campaigns/{id}/learners")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.ADMIN, Role.SUPPORTER})
public class CampaignLearnerResource {
    private final LearnerService learners;
    private final StaffScope scopes;
    private final int maxPageSize;

    public CampaignLearnerResource(LearnerService learners, StaffScope scopes, PageConfig pageConfig) {
        int maxPageSize = pageConfig.maxSize();
        this.learners = learners;
        this.scopes = scopes;
        this.maxPageSize = maxPageSize;
    }

    @GET
    @Operation(summary = "The campaign's enrolled learners in the caller's scope, optionally under one locality")
    public Uni<Page<LearnerView>> enrolled(
            @PathParam("id") long campaignId,
            @QueryParam("localityCode") String localityCode,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("100") int size) {
        PageRequest.check(page, size, maxPageSize);
        return scopes.scope().flatMap(scope -> learners.enrolled(campaignId, scope, localityCode, page, size));
    }
}
