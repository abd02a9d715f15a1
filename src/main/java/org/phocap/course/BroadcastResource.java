package org.phocap.course;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.phocap.auth.CurrentUser;
import org.phocap.auth.Role;
import org.phocap.locality.StaffScope;
import org.phocap.platform.ApiTags;
import org.phocap.stream.StreamEvents;

/** An admin's message to every open lesson stream of a course (announcements build on it). */
@Tag(name = ApiTags.COURSES, description = ApiTags.COURSES_ABOUT)
@Path("/api/v1/courses/{id}/broadcast")
public class BroadcastResource {
    public record Broadcast(@NotBlank @Size(max = 2000) String text) {}

    public record Sent(long eventId) {}

    private final StreamEvents events;
    private final CourseService courses;
    private final CurrentUser user;
    private final StaffScope scopes;

    public BroadcastResource(StreamEvents events, CourseService courses, CurrentUser user, StaffScope scopes) {
        this.events = events;
        this.courses = courses;
        this.user = user;
        this.scopes = scopes;
    }

    @POST
    @RolesAllowed(Role.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseStatus(202)
    @Operation(summary = "Send an 'announcement' event to every lesson stream of the course")
    public Uni<Sent> broadcast(@PathParam("id") long courseId, @Valid @NotNull Broadcast body) {
        scopes.requireWholeTree("A course-wide broadcast");
        return courses.outline(courseId, user.subject())
                .flatMap(course -> events.publish(
                        courseId,
                        null,
                        "announcement",
                        java.util.Map.of(
                                "text", body.text().strip(), "at", Instant.now().toString())))
                .map(event -> new Sent(event.id()));
    }
}
