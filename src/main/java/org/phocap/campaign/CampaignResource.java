package org.phocap.campaign;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.phocap.auth.CurrentUser;
import org.phocap.auth.Role;
import org.phocap.campaign.CampaignDtos.AssignLearners;
import org.phocap.campaign.CampaignDtos.AssignResult;
import org.phocap.campaign.CampaignDtos.CampaignView;
import org.phocap.campaign.CampaignDtos.CreateCampaign;
import org.phocap.campaign.CampaignDtos.CreateWave;
import org.phocap.campaign.CampaignDtos.WaveView;
import org.phocap.locality.StaffScope;
import org.phocap.platform.ApiTags;
import org.phocap.platform.Idempotency;
import org.phocap.platform.Page;
import org.phocap.platform.PageConfig;
import org.phocap.platform.PageRequest;

@Tag(name = ApiTags.CAMPAIGNS, description = ApiTags.CAMPAIGNS_ABOUT)
@Path("/api/v1/campaigns")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class CampaignResource {
    private final CampaignService campaigns;
    private final WaveService waves;
    private final StaffScope scopes;
    private final CurrentUser user;
    private final Idempotency idempotency;
    private final int maxPageSize;

    public CampaignResource(
            CampaignService campaigns,
            WaveService waves,
            StaffScope scopes,
            CurrentUser user,
            Idempotency idempotency,
            PageConfig pageConfig) {
        int maxPageSize = pageConfig.maxSize();
        this.campaigns = campaigns;
        this.waves = waves;
        this.scopes = scopes;
        this.user = user;
        this.idempotency = idempotency;
        this.maxPageSize = maxPageSize;
    }

    @POST
    @RolesAllowed(Role.ADMIN)
    @ResponseStatus(201)
    @Operation(summary = "Create a campaign over a locality")
    public Uni<CampaignView> create(
            @Valid @NotNull CreateCampaign request, @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
        return idempotency.once(
                idempotencyKey,
                user.subject().jwtSubject(),
                "POST /campaigns",
                request,
                CampaignView.class,
                () -> scopes.scope().flatMap(scope -> campaigns.create(request, scope)));
    }

    @GET
    @RolesAllowed({Role.ADMIN, Role.SUPPORTER})
    @Operation(summary = "Campaigns visible in the caller's scope, newest first")
    public Uni<Page<CampaignView>> list(
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        PageRequest.check(page, size, maxPageSize);
        return scopes.scope().flatMap(scope -> campaigns.list(scope, page, size));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Role.ADMIN, Role.SUPPORTER})
    @Operation(summary = "One campaign with its enrolment count")
    public Uni<CampaignView> get(@PathParam("id") long id) {
        return scopes.scope().flatMap(scope -> campaigns.get(id, scope));
    }

    @POST
    @Path("/{id}/waves")
    @RolesAllowed(Role.ADMIN)
    @ResponseStatus(201)
    @Operation(summary = "Add a wave (a study window) to a campaign")
    public Uni<WaveView> createWave(
            @PathParam("id") long id,
            @Valid @NotNull CreateWave request,
            @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
        return idempotency.once(
                idempotencyKey,
                user.subject().jwtSubject(),
                "POST /campaigns/" + id + "/waves",
                request,
                WaveView.class,
                () -> scopes.scope().flatMap(scope -> waves.create(id, request, scope)));
    }

    @GET
    @Path("/{id}/waves")
    @RolesAllowed({Role.ADMIN, Role.SUPPORTER})
    @Operation(summary = "The campaign's waves with how many learners each holds")
    public Uni<List<WaveView>> listWaves(@PathParam("id") long id) {
        return scopes.scope().flatMap(scope -> waves.list(id, scope));
    }

    @GET
    @Path("/{id}/waves/{waveId}")
    @RolesAllowed({Role.ADMIN, Role.SUPPORTER})
    @Operation(summary = "One wave with how many learners it holds")
    public Uni<WaveView> getWave(@PathParam("id") long id, @PathParam("waveId") long waveId) {
        return scopes.scope().flatMap(scope -> waves.get(id, waveId, scope));
    }

    @POST
    @Path("/{id}/waves/{waveId}/learners")
    @RolesAllowed({Role.ADMIN, Role.SUPPORTER})
    @Operation(summary = "Assign enrolled learners to a wave by locality, nominating body or id (all filters combine)")
    public Uni<AssignResult> assign(
            @PathParam("id") long id, @PathParam("waveId") long waveId, @Valid @NotNull AssignLearners request) {
        return scopes.scope().flatMap(scope -> waves.assign(id, waveId, request, scope, user.subject()));
    }
}
