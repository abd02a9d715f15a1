package org.phocap.roster;

import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.phocap.auth.CurrentUser;
import org.phocap.auth.Role;
import org.phocap.locality.Scope;
import org.phocap.locality.StaffScope;
import org.phocap.platform.ApiTags;
import org.phocap.platform.ProblemException;

/**
 * Roster uploads. Blocking on purpose: the body streams to disk on a worker thread under the
 * size limit, and the import itself runs in the background (202 + Location).
 */
@Tag(name = ApiTags.ROSTERS, description = ApiTags.ROSTERS_ABOUT)
@Path("/api/v1/campaigns/{id}/roster")
@Produces(MediaType.APPLICATION_JSON)
public class RosterResource {
    public record Started(long importId) {}

    private final RosterService roster;
    private final RosterUploads uploads;
    private final StaffScope scopes;
    private final CurrentUser user;

    public RosterResource(RosterService roster, RosterUploads uploads, StaffScope scopes, CurrentUser user) {
        this.roster = roster;
        this.uploads = uploads;
        this.scopes = scopes;
        this.user = user;
    }

    @POST
    @Blocking
    @RolesAllowed({Role.ADMIN, Role.SUPPORTER})
    @Consumes({"text/csv", RosterUploads.XLSX, MediaType.APPLICATION_OCTET_STREAM})
    @Operation(
            summary =
                    "Import nominated learners from a CSV (UTF-8, with or without BOM, or Windows-1258) or .xlsx body")
    @RequestBody(
            content = {
                @Content(
                        mediaType = "text/csv",
                        schema =
                                @Schema(
                                        type = SchemaType.STRING,
                                        example =
                                                "full_name,phone,birth_year,gender,ethnicity,locality_code,nominated_by,target_group\n"
                                                        + "Nguyễn Văn An,0912 345 678,1980,Nam,Kinh,26.243.09001.01,VILLAGE,Nông dân")),
                @Content(mediaType = RosterUploads.XLSX, schema = @Schema(type = SchemaType.STRING, format = "binary"))
            })
    @APIResponse(
            responseCode = "202",
            description = "Import started; poll Location or stream its events",
            content = @Content(schema = @Schema(implementation = Started.class)))
    @APIResponse(responseCode = "413", description = "Over phocap.roster.max-bytes; nothing recorded")
    public Response upload(
            @PathParam("id") long campaignId,
            @Parameter(description = "utf-8 or windows-1258; detected when absent") @QueryParam("charset")
                    String charset,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength,
            @HeaderParam("X-File-Name") String fileName,
            InputStream body) {
        uploads.checkAnnounced(contentLength);
        Scope scope = callerScope();
        var file = uploads.receive(body);
        return started(roster.start(campaignId, user.subject(), scope, file, fileName, contentType, charset));
    }

    @POST
    @Blocking
    @RolesAllowed({Role.ADMIN, Role.SUPPORTER})
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Import nominated learners from a file uploaded as multipart form field 'file'")
    @APIResponse(
            responseCode = "202",
            description = "Import started",
            content = @Content(schema = @Schema(implementation = Started.class)))
    public Response uploadForm(
            @PathParam("id") long campaignId, @RestForm("file") FileUpload file, @RestForm("charset") String charset) {
        if (file == null) {
            throw ProblemException.invalid("file", "the form needs a 'file' part");
        }
        Scope scope = callerScope();
        var copy = uploads.check(file.uploadedFile());
        return started(
                roster.start(campaignId, user.subject(), scope, copy, file.fileName(), file.contentType(), charset));
    }

    private Scope callerScope() {
        return scopes.scope().await().indefinitely();
    }

    private static Response started(long importId) {
        // A raw header: Response.location() would make it absolute, the contract gives it as a path.
        return Response.accepted(new Started(importId))
                .header(HttpHeaders.LOCATION, "/api/v1/imports/" + importId)
                .build();
    }
}
