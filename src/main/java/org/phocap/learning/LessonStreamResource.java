package org.phocap.learning;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.phocap.auth.CurrentUser;
import org.phocap.auth.RevokedFamilies;
import org.phocap.auth.Role;
import org.phocap.auth.Subject;
import org.phocap.campaign.AnnouncementService;
import org.phocap.course.CourseService;
import org.phocap.course.CourseView;
import org.phocap.platform.ApiTags;
import org.phocap.platform.CheckedBeforeStream;
import org.phocap.platform.Json;
import org.phocap.platform.Overload;
import org.phocap.platform.ProblemException;
import org.phocap.progress.CourseProgress;
import org.phocap.progress.LearnerAccess;
import org.phocap.progress.ProgressService;
import org.phocap.stream.StreamEvent;
import org.phocap.stream.StreamEvents;
import org.phocap.stream.StreamHub;

/**
 * The learner's lesson stream: one `lesson` event per lesson in order, `ready`, then live events.
 * A reconnect with Last-Event-ID gets exactly the events it missed instead of the snapshot.
 */
@Tag(name = ApiTags.STREAMS, description = ApiTags.STREAMS_ABOUT)
@Path("/api/v1/me/courses/{courseId}/stream")
public class LessonStreamResource {
    private final CourseService courses;
    private final LearnerAccess access;
    private final Clock clock;
    private final StreamEvents events;
    private final StreamHub hub;
    private final CurrentUser user;
    private final Json json;
    private final ProgressService progress;
    private final AnnouncementService announcements;
    private final RevokedFamilies revoked;

    public LessonStreamResource(
            CourseService courses,
            LearnerAccess access,
            Clock clock,
            StreamEvents events,
            StreamHub hub,
            CurrentUser user,
            Json json,
            ProgressService progress,
            AnnouncementService announcements,
            RevokedFamilies revoked) {
        this.revoked = revoked;
        this.announcements = announcements;
        this.progress = progress;
        this.courses = courses;
        this.access = access;
        this.clock = clock;
        this.events = events;
        this.hub = hub;
        this.user = user;
        this.json = json;
    }

    /** A lesson as the snapshot shows it: progress is its covered share (1 once completed). */
    // Written by Json into stream events, outside any REST signature: registered for the native image.
    @RegisterForReflection
    public record LessonState(
            long lessonId,
            String code,
            String title,
            String kind,
            int position,
            double progress,
            boolean completed,
            boolean locked) {}

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed(Role.LEARNER)
    @CheckedBeforeStream(LessonStreamAccess.class)
    @Operation(
            summary =
                    "SSE: lesson snapshot, ready, then live events; Last-Event-ID (or ?lastEventId=) replays what was missed")
    public Multi<OutboundSseEvent> stream(
            @PathParam("courseId") long courseId,
            @HeaderParam("Last-Event-ID") String lastEventId,
            @QueryParam("lastEventId") String lastEventIdParam,
            @Context Sse sse) {
        Subject learner = user.subject();
        // A new EventSource (a reconnect with a fresh stream ticket) cannot set Last-Event-ID: it
        // names the last event it saw in the query instead. The header wins when both are there.
        Long resumeAfter = parse(lastEventId != null && !lastEventId.isBlank() ? lastEventId : lastEventIdParam);
        // The stream lives as long as the token that opened it, and not past a sign-out.
        long expiresAt = user.expiresAt();
        String family = user.family();
        BooleanSupplier valid = () -> System.currentTimeMillis() / 1000 < expiresAt && !revoked.isRevoked(family);
        long learnerId = learner.id();
        // Everything the opening reads happens in the stream's turn at the hub's gate, so a reconnect
        // storm queues there instead of in the database pool; the course's visibility comes from the
        // learner's cached enrolments (the ones heartbeats use), not from another query.
        Supplier<Uni<StreamHub.Start>> opening =
                () -> access.standing(learnerId, courseId, clock.instant()).flatMap(standing -> {
                    if (standing == LearnerAccess.Standing.NOT_ENROLLED) {
                        return Uni.createFrom()
                                .failure(ProblemException.notFound("No course " + courseId + " for you."));
                    }
                    if (resumeAfter != null) {
                        return events.after(courseId, learnerId, resumeAfter).map(StreamHub.Start::new);
                    }
                    return courses.newestOutline(courseId)
                            .flatMap(published -> snapshot(
                                    published.course(), learnerId, courseId, standing == LearnerAccess.Standing.OPEN));
                });
        return hub.open(courseId, learnerId, valid, opening)
                // The status line is out already: a busy or absent database cannot become a 503 here,
                // so the client is told to come back (EventSource reconnects by itself after retry:).
                .onFailure(Overload::transientDatabase)
                .recoverWithMulti(() -> Multi.createFrom().item(StreamHub.RECONNECT))
                .map(e -> toSse(sse, e, hub));
    }

    private Uni<StreamHub.Start> snapshot(CourseView course, long learnerId, long courseId, boolean open) {
        // The head is read first: an event committed after it is delivered live or replayed, never lost.
        return events.head(courseId)
                .flatMap(head -> Uni.combine()
                        .all()
                        .unis(progress.courseProgress(learnerId, course), announcements.currentFor(learnerId, courseId))
                        .asTuple()
                        .map(loaded -> {
                            Map<Long, CourseProgress.LessonProgress> states = new HashMap<>();
                            loaded.getItem1().lessons().forEach(l -> states.put(l.lessonId(), l));
                            List<StreamEvent> first = new ArrayList<>();
                            int position = 0;
                            for (CourseView.ModuleView module : course.modules()) {
                                for (CourseView.LessonView lesson : module.lessons()) {
                                    CourseProgress.LessonProgress state = states.get(lesson.id());
                                    first.add(new StreamEvent(
                                            head,
                                            courseId,
                                            learnerId,
                                            "lesson",
                                            json.write(new LessonState(
                                                    lesson.id(),
                                                    lesson.code(),
                                                    lesson.title(),
                                                    lesson.kind(),
                                                    position++,
                                                    state == null ? 0.0 : state.progress(),
                                                    state != null && state.completed(),
                                                    !open))));
                                }
                            }
                            // Announcements still current, for a learner who was not connected when they were sent.
                            loaded.getItem2()
                                    .forEach(data -> first.add(
                                            new StreamEvent(head, courseId, learnerId, "announcement", data)));
                            first.add(new StreamEvent(
                                    head,
                                    courseId,
                                    learnerId,
                                    "ready",
                                    json.write(Map.of(
                                            "courseId", courseId, "version", course.version(), "lessons", position))));
                            return new StreamHub.Start(first);
                        }));
    }

    private static OutboundSseEvent toSse(Sse sse, StreamEvent event, StreamHub hub) {
        if (event == StreamHub.PING) {
            return sse.newEventBuilder().comment("keep-alive").build();
        }
        if (event == StreamHub.RECONNECT) {
            return sse.newEventBuilder()
                    .comment("server closing this stream; reconnect with Last-Event-ID")
                    .reconnectDelay(hub.reconnectDelayMs())
                    .build();
        }
        return sse.newEventBuilder()
                .id(Long.toString(event.id()))
                .name(event.kind())
                .data(event.data())
                .build();
    }

    private static Long parse(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(lastEventId.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
