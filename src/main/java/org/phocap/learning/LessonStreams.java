package org.phocap.learning;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.phocap.auth.RevokedFamilies;
import org.phocap.campaign.AnnouncementService;
import org.phocap.course.CourseService;
import org.phocap.course.CourseView;
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
 * What a learner's lesson stream carries: one `lesson` event per lesson in order, `ready`, then
 * live events; a reconnect with Last-Event-ID gets exactly the events it missed instead of the
 * snapshot. {@link LessonStreamRoute} serves it over HTTP.
 */
@ApplicationScoped
public class LessonStreams {
    private final CourseService courses;
    private final LearnerAccess access;
    private final Clock clock;
    private final StreamEvents events;
    private final StreamHub hub;
    private final Json json;
    private final ProgressService progress;
    private final AnnouncementService announcements;
    private final RevokedFamilies revoked;

    public LessonStreams(
            CourseService courses,
            LearnerAccess access,
            Clock clock,
            StreamEvents events,
            StreamHub hub,
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

    /**
     * Whether the stream may open, asked before its status line is out, while an answer can still
     * say no: past {@code phocap.stream.max-open} the client gets 503 {@code overloaded} (cause
     * {@code stream-cap}) with a Retry-After of a few seconds and reconnects, through the Service, to
     * an instance with room (the autoscaler adds instances well before every one is full,
     * k8s/base/hpa.yaml); a course the learner does not study is a 404 (once the stream is open its
     * failure could only cut the connection, and an EventSource would come back every few seconds).
     */
    public Uni<Void> check(long learnerId, long courseId) {
        if (hub.full()) {
            return Uni.createFrom()
                    .failure(Overload.shed(
                            "stream-cap",
                            "This server holds as many lesson streams as it may; reconnect after the time given.",
                            hub.refusedRetryAfterSec()));
        }
        // Only a check that must ask the database takes a turn at the opening gate: one answered from
        // memory would otherwise wait behind database loads in a reconnect storm.
        Supplier<Uni<LearnerAccess.Standing>> standing = () -> access.standing(learnerId, courseId, clock.instant());
        return (access.known(learnerId) ? standing.get() : hub.inTurn(standing)).map(found -> {
            if (found == LearnerAccess.Standing.NOT_ENROLLED) {
                throw notStudied(courseId);
            }
            return null;
        });
    }

    /**
     * The stream's events: the snapshot (or, with {@code lastEventId}, what was missed), then live
     * events, until the token that opened it expires ({@code expiresAt}, seconds since the epoch) or
     * its sign-in ({@code family}) is ended, and the server asks the client to reconnect.
     */
    public Multi<StreamEvent> open(long learnerId, long courseId, String lastEventId, long expiresAt, String family) {
        Long resumeAfter = parse(lastEventId);
        BooleanSupplier valid = () -> System.currentTimeMillis() / 1000 < expiresAt && !revoked.isRevoked(family);
        // Everything the opening reads happens in the stream's turn at the hub's gate, so a reconnect
        // storm queues there instead of in the database pool; the course's visibility comes from the
        // learner's cached enrolments (the ones heartbeats use), not from another query.
        Supplier<Uni<StreamHub.Start>> opening =
                () -> access.standing(learnerId, courseId, clock.instant()).flatMap(standing -> {
                    if (standing == LearnerAccess.Standing.NOT_ENROLLED) {
                        return Uni.createFrom().failure(notStudied(courseId));
                    }
                    if (resumeAfter != null) {
                        return events.after(courseId, learnerId, resumeAfter).map(StreamHub.Start::new);
                    }
                    return courses.newestOutline(courseId)
                            .flatMap(published -> snapshot(
                                    published.course(), learnerId, courseId, standing == LearnerAccess.Standing.OPEN));
                });
        return hub.open(courseId, learnerId, valid, opening)
                // The status line may be out already: a busy or absent database is not a failure of the
                // stream, the client is told to come back (EventSource reconnects by itself after retry:).
                .onFailure(Overload::transientDatabase)
                .recoverWithMulti(() -> Multi.createFrom().item(StreamHub.RECONNECT));
    }

    private static ProblemException notStudied(long courseId) {
        return ProblemException.notFound("No course " + courseId + " for you.");
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
