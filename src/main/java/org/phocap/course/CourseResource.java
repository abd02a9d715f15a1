package org.phocap.course;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.phocap.auth.CurrentUser;
import org.phocap.auth.Role;
import org.phocap.locality.StaffScope;
import org.phocap.platform.ApiTags;
import org.phocap.platform.ProblemException;

@Tag(name = ApiTags.COURSES, description = ApiTags.COURSES_ABOUT)
@Path("/api/v1/courses")
@Produces(MediaType.APPLICATION_JSON)
public class CourseResource {
    private final CourseService courses;
    private final CoursePackageZip zips;
    private final CurrentUser user;
    private final StaffScope scopes;

    public CourseResource(CourseService courses, CoursePackageZip zips, CurrentUser user, StaffScope scopes) {
        this.courses = courses;
        this.zips = zips;
        this.user = user;
        this.scopes = scopes;
    }

    @POST
    @RolesAllowed(Role.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Publish a course package; the same code again adds a new, immutable version")
    @APIResponse(
            responseCode = "201",
            description = "The new version's outline",
            content = @Content(schema = @Schema(implementation = CourseView.class)))
    public Uni<Response> publish(@Valid @NotNull CoursePackage pkg) {
        scopes.requireWholeTree("Publishing a course");
        return courses.publish(pkg).map(CourseResource::created);
    }

    private static Response created(CourseService.Published published) {
        return Response.status(201)
                .header(
                        HttpHeaders.LOCATION,
                        "/api/v1/courses/" + published.course().id())
                .tag(published.etag())
                .entity(published.course())
                .build();
    }

    @POST
    @Blocking
    @RolesAllowed(Role.ADMIN)
    @Consumes({"application/zip", "application/x-zip-compressed"})
    @Operation(summary = "Publish a course package as a .zip holding course.json and the media files it names")
    @RequestBody(
            content =
                    @Content(
                            mediaType = "application/zip",
                            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(
            responseCode = "201",
            description = "The new version's outline",
            content = @Content(schema = @Schema(implementation = CourseView.class)))
    public Response publishZip(@HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream body) {
        scopes.requireWholeTree("Publishing a course");
        if (contentLength != null && contentLength > zips.maxBytes()) {
            throw ProblemException.tooLarge("Course packages are limited to " + zips.maxBytes() + " bytes.");
        }
        return created(zips.publish(body));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Role.ADMIN, Role.SUPPORTER, Role.LEARNER})
    @Operation(summary = "The newest version's outline, with a strong ETag (If-None-Match gives 304)")
    @APIResponse(
            responseCode = "200",
            description = "Outline",
            content = @Content(schema = @Schema(implementation = CourseView.class)))
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag given")
    public Uni<Response> outline(@PathParam("id") long id, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return courses.outline(id, user.subject())
                .map(published -> Etags.respond(ifNoneMatch, published.etag(), published.course()));
    }
}
