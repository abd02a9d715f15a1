package org.phocap.course;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.phocap.auth.CurrentUser;
import org.phocap.auth.Role;
import org.phocap.platform.ApiTags;

@Tag(name = ApiTags.COURSES, description = ApiTags.COURSES_ABOUT)
@Path("/api/v1/lessons/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class LessonResource {
    private final CourseService courses;
    private final CurrentUser user;

    public LessonResource(CourseService courses, CurrentUser user) {
        this.courses = courses;
        this.user = user;
    }

    @GET
    @RolesAllowed({Role.ADMIN, Role.SUPPORTER, Role.LEARNER})
    @Operation(summary = "A lesson's content (learners: only lessons of their campaigns' courses)")
    @APIResponse(
            responseCode = "200",
            description = "Lesson",
            content = @Content(schema = @Schema(implementation = LessonContent.class)))
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag given")
    public Uni<Response> get(@PathParam("id") long id, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return courses.lesson(id, user.subject())
                .map(lesson -> Etags.respond(ifNoneMatch, lesson.etag(), lesson.content()));
    }
}
