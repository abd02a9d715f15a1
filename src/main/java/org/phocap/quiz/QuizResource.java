package org.phocap.quiz;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
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
import org.phocap.platform.Idempotency;

/** A learner's quiz attempts. Papers never carry the answers; grading happens here, on the server. */
@Tag(name = ApiTags.QUIZZES, description = ApiTags.QUIZZES_ABOUT)
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.LEARNER)
public class QuizResource {
    private final QuizService quizzes;
    private final Idempotency idempotency;
    private final CurrentUser user;

    public QuizResource(QuizService quizzes, Idempotency idempotency, CurrentUser user) {
        this.quizzes = quizzes;
        this.idempotency = idempotency;
        this.user = user;
    }

    @POST
    @Path("/quizzes/{quizId}/attempts")
    @Operation(
            summary =
                    "Start an attempt: a paper drawn at random (an attempt still in progress is answered instead, 200)")
    @APIResponse(
            responseCode = "201",
            description = "New attempt",
            content = @Content(schema = @Schema(implementation = QuizDtos.AttemptView.class)))
    @APIResponse(responseCode = "409", description = "max-attempts, or wave-closed")
    public Uni<Response> start(@PathParam("quizId") long quizId) {
        return quizzes.start(user.subject().id(), quizId)
                .map(started -> Response.status(started.created() ? 201 : 200)
                        .entity(started.attempt())
                        .build());
    }

    @GET
    @Path("/attempts/{attemptId}")
    @Operation(summary = "The attempt's paper again, saved answers, and the result once graded")
    public Uni<QuizDtos.AttemptView> get(@PathParam("attemptId") long attemptId) {
        return quizzes.get(user.subject().id(), attemptId);
    }

    @PUT
    @Path("/attempts/{attemptId}/answers")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Autosave answers")
    @APIResponse(responseCode = "204", description = "Saved")
    @APIResponse(responseCode = "409", description = "attempt-closed")
    public Uni<Response> save(@PathParam("attemptId") long attemptId, QuizDtos.AnswerSheet sheet) {
        return quizzes.save(user.subject().id(), attemptId, sheet)
                .replaceWith(Response.noContent().build());
    }

    @POST
    @Path("/attempts/{attemptId}/submit")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit and grade; a second submit answers the first result")
    @APIResponse(
            responseCode = "200",
            description = "Result",
            content = @Content(schema = @Schema(implementation = QuizDtos.Result.class)))
    public Uni<QuizDtos.Result> submit(
            @PathParam("attemptId") long attemptId,
            QuizDtos.AnswerSheet sheet,
            @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
        long learner = user.subject().id();
        return idempotency.once(
                idempotencyKey,
                user.subject().jwtSubject(),
                "POST /me/attempts/" + attemptId + "/submit",
                sheet == null ? new QuizDtos.AnswerSheet(null) : sheet,
                QuizDtos.Result.class,
                () -> quizzes.submit(learner, attemptId, sheet));
    }
}
