package org.phocap.course;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Date;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.PathPart;
import org.phocap.auth.CurrentUser;
import org.phocap.auth.Role;
import org.phocap.locality.StaffScope;
import org.phocap.platform.ApiTags;
import org.phocap.platform.ProblemException;

/**
 * Lesson media with single byte ranges. The bytes go out with Vert.x sendFile (PathPart): never
 * read into memory, never on the event loop. HEAD answers the same headers without a body.
 */
@Tag(name = ApiTags.COURSES, description = ApiTags.COURSES_ABOUT)
@Path("/api/v1/lessons/{id}/media")
public class MediaResource {
    private final MediaService media;
    private final CurrentUser user;
    private final StaffScope scopes;

    public MediaResource(MediaService media, CurrentUser user, StaffScope scopes) {
        this.media = media;
        this.user = user;
        this.scopes = scopes;
    }

    @GET
    @Produces(MediaType.WILDCARD)
    @RolesAllowed({Role.ADMIN, Role.SUPPORTER, Role.LEARNER})
    @Operation(summary = "The lesson's media; Range: bytes=… gives 206 (one range), 416 past the end; HEAD supported")
    @APIResponse(
            responseCode = "200",
            description = "The whole file",
            content = @Content(mediaType = "*/*", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "206", description = "The requested range")
    @APIResponse(responseCode = "416", description = "The range starts past the end")
    public Uni<Response> get(
            @PathParam("id") long id,
            @HeaderParam("Range") String range,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return media.media(id, user.subject()).map(m -> serve(m, range, ifNoneMatch, false));
    }

    @HEAD
    @RolesAllowed({Role.ADMIN, Role.SUPPORTER, Role.LEARNER})
    @Operation(summary = "The headers GET would answer (length, range, type, validators), without the bytes")
    public Uni<Response> head(
            @PathParam("id") long id,
            @HeaderParam("Range") String range,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return media.media(id, user.subject()).map(m -> serve(m, range, ifNoneMatch, true));
    }

    @PUT
    @Blocking
    @RolesAllowed(Role.ADMIN)
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Upload the lesson's media (limit phocap.media.max-bytes); X-Checksum-SHA256 (hex) is checked when sent")
    public MediaService.Stored upload(
            @PathParam("id") long id,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength,
            @HeaderParam("X-Checksum-SHA256") String sha256,
            InputStream body) {
        scopes.requireWholeTree("Uploading course media");
        if (contentLength != null && contentLength > media.maxBytes()) {
            throw ProblemException.tooLarge("Media files are limited to " + media.maxBytes() + " bytes.");
        }
        return media.upload(id, body, contentType, sha256);
    }

    private static Response serve(MediaService.Media m, String rangeHeader, String ifNoneMatch, boolean headOnly) {
        EntityTag tag = new EntityTag(m.sha256());
        if (ifNoneMatch != null && ifNoneMatch.contains("\"" + m.sha256() + "\"")) {
            return Response.notModified(tag).build();
        }
        Optional<ByteRange> range;
        try {
            range = ByteRange.parse(rangeHeader, m.size());
        } catch (ByteRange.Unsatisfiable e) {
            return Response.status(416)
                    .header("Content-Range", "bytes */" + m.size())
                    .header("Accept-Ranges", "bytes")
                    .build();
        }
        ByteRange part = range.orElse(new ByteRange(0, m.size() - 1));
        Response.ResponseBuilder builder = Response.status(range.isPresent() ? 206 : 200);
        if (range.isPresent()) {
            builder.header("Content-Range", "bytes " + part.start() + "-" + part.end() + "/" + m.size());
        }
        if (headOnly) {
            builder.header(HttpHeaders.CONTENT_LENGTH, part.length());
        } else {
            builder.entity(new PathPart(m.file(), part.start(), part.length()));
        }
        return builder.type(m.contentType())
                .header("Accept-Ranges", "bytes")
                .tag(tag)
                .lastModified(Date.from(m.updatedAt()))
                .header(HttpHeaders.CACHE_CONTROL, "private, max-age=86400")
                .build();
    }
}
