package org.phocap.campaign;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.phocap.auth.CurrentUser;
import org.phocap.auth.Role;
import org.phocap.campaign.SupportDtos.SetSupport;
import org.phocap.campaign.SupportDtos.SupportView;
import org.phocap.locality.StaffScope;
import org.phocap.platform.ApiTags;

// The root path is the locality's own: a shorter one would lose to LocalityResource when JAX-RS picks the class.
@Tag(name = ApiTags.CAMPAIGNS, description = ApiTags.CAMPAIGNS_ABOUT)
@Path("/api/v1/localities/{code}/support")
@Produces(MediaType.APPLICATION_JSON)
public class SupportResource {
    private final SupportService support;
    private final StaffScope scopes;
    private final CurrentUser user;

    public SupportResource(SupportService support, StaffScope scopes, CurrentUser user) {
        this.support = support;
        this.scopes = scopes;
        this.user = user;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.ADMIN, Role.SUPPORTER})
    @Operation(summary = "Sets the support channel, hotline and named contacts of a locality in the caller's scope")
    public Uni<SupportView> set(@PathParam("code") String code, @Valid @NotNull SetSupport request) {
        long staffId = user.staffId();
        return scopes.scope().flatMap(scope -> support.set(code, request, staffId, scope));
    }

    @GET
    @RolesAllowed({Role.ADMIN, Role.SUPPORTER})
    @Operation(summary = "The support set for exactly this locality")
    public Uni<SupportView> get(@PathParam("code") String code) {
        return scopes.scope().flatMap(scope -> support.get(code, scope));
    }
}
