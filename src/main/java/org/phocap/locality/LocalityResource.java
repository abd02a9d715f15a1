package org.phocap.locality;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.phocap.auth.Role;
import org.phocap.platform.ApiTags;
import org.phocap.platform.Page;
import org.phocap.platform.PageConfig;
import org.phocap.platform.PageRequest;
import org.phocap.platform.ProblemException;

@Tag(name = ApiTags.LOCALITIES, description = ApiTags.LOCALITIES_ABOUT)
@Path("/api/v1/localities")
@Produces(MediaType.APPLICATION_JSON)
public class LocalityResource {
    private final LocalityService localities;
    private final StaffScope scopes;
    private final long maxBytes;
    private final int maxPageSize;

    public LocalityResource(
            LocalityService localities, StaffScope scopes, LocalityConfig localityConfig, PageConfig pageConfig) {
        long maxBytes = localityConfig.maxBytes();
        int maxPageSize = pageConfig.maxSize();
        this.localities = localities;
        this.scopes = scopes;
        this.maxBytes = maxBytes;
        this.maxPageSize = maxPageSize;
    }

    @PUT
    @RolesAllowed(Role.ADMIN)
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    @Operation(
            summary =
                    "Upsert the administrative tree from CSV (code,name,level,parent_code); all or nothing. "
                            + "A district ADMIN edits only localities inside its subtree and cannot move one across its boundary")
    @RequestBody(
            content =
                    @Content(
                            mediaType = "text/csv",
                            schema =
                                    @Schema(
                                            type = SchemaType.STRING,
                                            example =
                                                    "code,name,level,parent_code\n26,Tỉnh Vĩnh Phúc,1,\n243,Thành phố Vĩnh Yên,2,26")))
    public Uni<LocalityImportResult> importTree(String csv) {
        if (csv.length() > maxBytes) {
            throw ProblemException.tooLarge("Locality files are limited to " + maxBytes + " bytes.");
        }
        return scopes.scope().flatMap(scope -> localities.importCsv(csv, scope));
    }

    @GET
    @Path("/{code}")
    @RolesAllowed({Role.ADMIN, Role.SUPPORTER})
    @Operation(summary = "One locality (404 outside the caller's scope)")
    public Uni<LocalityDto> get(@PathParam("code") String code) {
        return scopes.scope().flatMap(scope -> localities.get(code, scope));
    }

    @GET
    @Path("/{code}/children")
    @RolesAllowed({Role.ADMIN, Role.SUPPORTER})
    @Operation(summary = "The children of a locality, by code, paginated")
    public Uni<Page<LocalityDto>> children(
            @PathParam("code") String code,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("100") int size) {
        PageRequest.check(page, size, maxPageSize);
        return scopes.scope().flatMap(scope -> localities.children(code, scope, page, size));
    }
}
