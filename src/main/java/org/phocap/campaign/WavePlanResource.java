package org.phocap.campaign;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.phocap.auth.Role;
import org.phocap.campaign.WavePlanDtos.PlanRequest;
import org.phocap.campaign.WavePlanDtos.WavePlan;
import org.phocap.locality.StaffScope;
import org.phocap.platform.ApiTags;

@Tag(name = ApiTags.CAMPAIGNS, description = ApiTags.CAMPAIGNS_ABOUT)
@Path("/api/v1/campaigns/{id}/wave-plan")
@RolesAllowed(Role.ADMIN)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class WavePlanResource {
    private final WavePlanService plans;
    private final StaffScope scopes;

    public WavePlanResource(WavePlanService plans, StaffScope scopes) {
        this.plans = plans;
        this.scopes = scopes;
    }

    @POST
    @Operation(
            summary = "Proposes waves for the learners not yet studying: within maxConcurrent and every support "
                    + "group's load, communes kept whole where they fit, as few waves as it can; changes nothing")
    public Uni<WavePlan> propose(@PathParam("id") long id, @Valid @NotNull PlanRequest request) {
        return scopes.scope().flatMap(scope -> plans.propose(id, request, scope));
    }

    @POST
    @Path("/apply")
    @Operation(
            summary = "Creates the proposed waves and assigns their learners; learners in an opened wave stay; "
                    + "future waves left empty are removed")
    public Uni<WavePlan> apply(@PathParam("id") long id, @Valid @NotNull PlanRequest request) {
        return scopes.scope().flatMap(scope -> plans.apply(id, request, scope));
    }
}
