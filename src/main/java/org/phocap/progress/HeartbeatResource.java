package org.phocap.progress;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.phocap.auth.CurrentUser;
import org.phocap.auth.Role;
import org.phocap.platform.ApiTags;
import org.phocap.platform.ProblemException;

/**
 * The learner's player reports study here; see docs/progress-credit.md for what earns credit. The
 * single heartbeat, {@code POST /api/v1/me/heartbeats}, is a plain Vert.x route ({@link
 * HeartbeatRoute}) for speed; the offline replay and the progress read stay here.
 */
@Tag(name = ApiTags.STUDY, description = ApiTags.STUDY_ABOUT)
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.LEARNER)
public class HeartbeatResource {
    private final ProgressService progress;
    private final CurrentUser user;

    public HeartbeatResource(ProgressService progress, CurrentUser user) {
        this.progress = progress;
        this.user = user;
    }

    @POST
    @Path("/heartbeats:batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replay up to 500 heartbeats buffered offline; one answer per item, in request order")
    @APIResponse(
            responseCode = "200",
            description = "Per item: status and result, or status and problem",
            content =
                    @Content(
                            schema =
                                    @Schema(
                                            implementation = ProgressService.ReplayAnswer.class,
                                            type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "400", description = "Not 1 to 500 items, or no X-Device-Id")
    public Uni<List<ProgressService.ReplayAnswer>> replay(
            @HeaderParam("X-Device-Id") String deviceId, List<Heartbeat> heartbeats) {
        return progress.replay(user.subject().id(), deviceId, heartbeats);
    }

    @GET
    @Path("/progress")
    @Operation(summary = "The learner's state on every lesson of a course")
    @APIResponse(
            responseCode = "200",
            description = "Per-lesson state",
            content = @Content(schema = @Schema(implementation = CourseProgress.class)))
    public Uni<CourseProgress> progress(@QueryParam("courseId") Long courseId) {
        if (courseId == null) {
            throw ProblemException.invalid("courseId", "The courseId query parameter is required.");
        }
        return progress.progress(user.subject().id(), courseId);
    }
}
