package org.phocap.campaign;

import io.smallrye.mutiny.Multi;
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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.phocap.auth.Role;
import org.phocap.campaign.AtRiskService.AtRiskLearner;
import org.phocap.locality.StaffScope;
import org.phocap.platform.ApiTags;
import org.phocap.platform.CsvExport;
import org.phocap.platform.Page;
import org.phocap.platform.PageConfig;
import org.phocap.platform.PageRequest;
import org.phocap.platform.ProblemException;

/** Learners who need a call, in the caller's scope, with phone, last activity and progress. */
@Tag(name = ApiTags.CAMPAIGNS, description = ApiTags.CAMPAIGNS_ABOUT)
@Path("/api/v1/campaigns/{id}/at-risk")
@RolesAllowed({Role.ADMIN, Role.SUPPORTER})
public class AtRiskResource {
    static final int MAX_IDLE_HOURS = 24 * 30;

    private final AtRiskService atRisk;
    private final StaffScope scopes;
    private final int maxPageSize;

    public AtRiskResource(AtRiskService atRisk, StaffScope scopes, PageConfig pageConfig) {
        int maxPageSize = pageConfig.maxSize();
        this.atRisk = atRisk;
        this.scopes = scopes;
        this.maxPageSize = maxPageSize;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "NOT_ACTIVATED, NOT_STARTED (activated, no credited time) or STALLED (no activity for idleHours "
                    + "while their wave is open) learners, in calling order")
    public Uni<Page<AtRiskLearner>> list(
            @PathParam("id") long id,
            @QueryParam("status") String status,
            @QueryParam("idleHours") @DefaultValue("24") int idleHours,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("100") int size) {
        PageRequest.check(page, size, maxPageSize);
        AtRiskService.Status parsed = parse(status, idleHours);
        return scopes.scope().flatMap(scope -> atRisk.page(id, parsed, idleHours, scope, page, size));
    }

    @GET
    // The lower quality keeps JSON the answer to Accept: */*; the answer's own type is set plainly below.
    @Produces("text/csv;qs=0.5")
    @Operation(summary = "The whole list as CSV (Accept: text/csv), streamed")
    @APIResponse(
            responseCode = "200",
            description = "CSV with a header row",
            content = @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING)))
    public Multi<String> csv(
            @PathParam("id") long id,
            @QueryParam("status") String status,
            @QueryParam("idleHours") @DefaultValue("24") int idleHours) {
        AtRiskService.Status parsed = parse(status, idleHours);
        return CsvExport.response(
                scopes.scope().onItem().transformToMulti(scope -> atRisk.csv(id, parsed, idleHours, scope)));
    }

    private static AtRiskService.Status parse(String status, int idleHours) {
        if (idleHours < 1 || idleHours > MAX_IDLE_HOURS) {
            throw ProblemException.invalid("idleHours", "between 1 and " + MAX_IDLE_HOURS);
        }
        return AtRiskService.status(status);
    }
}
