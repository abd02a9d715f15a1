package org.phocap.integrity;

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
import org.phocap.locality.StaffScope;
import org.phocap.platform.ApiTags;
import org.phocap.platform.CsvExport;
import org.phocap.platform.Page;
import org.phocap.platform.PageConfig;
import org.phocap.platform.PageRequest;

/** The integrity flags of a campaign, for supporters to review (their scope only). */
@Tag(name = ApiTags.INTEGRITY, description = ApiTags.INTEGRITY_ABOUT)
@Path("/api/v1/campaigns/{id}/integrity-flags")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.ADMIN, Role.SUPPORTER})
public class IntegrityFlagResource {
    private final IntegrityFlags flags;
    private final StaffScope scopes;
    private final int maxPageSize;

    public IntegrityFlagResource(IntegrityFlags flags, StaffScope scopes, PageConfig pageConfig) {
        int maxPageSize = pageConfig.maxSize();
        this.flags = flags;
        this.scopes = scopes;
        this.maxPageSize = maxPageSize;
    }

    @GET
    @Operation(
            summary = "Integrity flags of the campaign's learners in the caller's scope (kind: SHARED_DEVICE, "
                    + "CONCURRENT_DEVICES, IMPLAUSIBLE_PACE, FAST_QUIZ; status: OPEN, CLEARED, CONFIRMED; a locality subtree), "
                    + "with their evidence, most recently seen first")
    public Uni<Page<IntegrityFlags.FlagView>> list(
            @PathParam("id") long id,
            @QueryParam("kind") String kind,
            @QueryParam("status") String status,
            @QueryParam("localityCode") String localityCode,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("100") int size) {
        PageRequest.check(page, size, maxPageSize);
        return scopes.scope()
                .flatMap(scope ->
                        flags.list(id, scope, new IntegrityFlags.Filter(kind, status, localityCode), page, size));
    }

    @GET
    // The lower quality keeps JSON the answer to Accept: */*.
    @Produces("text/csv;qs=0.5")
    @Operation(
            summary = "The same flags as CSV (Accept: text/csv), every page, oldest first, streamed; evidence as JSON")
    @APIResponse(
            responseCode = "200",
            description = "CSV with a header row",
            content = @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING)))
    public Multi<String> csv(
            @PathParam("id") long id,
            @QueryParam("kind") String kind,
            @QueryParam("status") String status,
            @QueryParam("localityCode") String localityCode) {
        return CsvExport.response(scopes.scope()
                .onItem()
                .transformToMulti(
                        scope -> flags.csv(id, scope, new IntegrityFlags.Filter(kind, status, localityCode))));
    }
}
