package org.phocap.learning;

import io.quarkus.arc.Unremovable;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import org.phocap.auth.CurrentUser;
import org.phocap.auth.Subject;
import org.phocap.platform.Overload;
import org.phocap.platform.ProblemException;
import org.phocap.platform.StreamAccess;
import org.phocap.progress.LearnerAccess;
import org.phocap.stream.StreamHub;

/**
 * A lesson stream opens only while this instance holds fewer than {@code phocap.stream.max-open}:
 * past the cap the client gets 503 {@code overloaded} (cause {@code stream-cap}) with a Retry-After
 * of a few seconds and reconnects, through the Service, to an instance with room; the autoscaler
 * adds instances well before every one is full (k8s/base/hpa.yaml).
 */
@ApplicationScoped
@Unremovable
public class LessonStreamAccess implements StreamAccess {
    private final StreamHub hub;
    private final CurrentUser user;
    private final LearnerAccess access;
    private final Clock clock;

    public LessonStreamAccess(StreamHub hub, CurrentUser user, LearnerAccess access, Clock clock) {
        this.hub = hub;
        this.user = user;
        this.access = access;
        this.clock = clock;
    }

    @Override
    public Uni<Void> check(UriInfo uri) {
        if (hub.full()) {
            return Uni.createFrom()
                    .failure(Overload.shed(
                            "stream-cap",
                            "This server holds as many lesson streams as it may; reconnect after the time given.",
                            hub.refusedRetryAfterSec()));
        }
        // A course the learner does not study is a 404 now, while an answer can still say so: once
        // the stream is open its failure could only cut the connection (and an EventSource would
        // come back every few seconds), with an ERROR logged by the SSE writer each time.
        Long courseId = courseIdIn(uri);
        Subject caller = user.subject();
        if (courseId == null || caller.kind() != Subject.Kind.LEARNER) {
            return Uni.createFrom().voidItem();
        }
        // Only a check that must ask the database takes a turn at the opening gate: one answered from
        // memory would otherwise wait behind database loads in a reconnect storm.
        java.util.function.Supplier<Uni<LearnerAccess.Standing>> standing =
                () -> access.standing(caller.id(), courseId, clock.instant());
        return (access.known(caller.id()) ? standing.get() : hub.inTurn(standing)).map(found -> {
            if (found == LearnerAccess.Standing.NOT_ENROLLED) {
                throw ProblemException.notFound("No course " + courseId + " for you.");
            }
            return null;
        });
    }

    private static Long courseIdIn(UriInfo uri) {
        try {
            return Long.parseLong(uri.getPathParameters().getFirst("courseId"));
        } catch (NumberFormatException e) {
            return null; // not a course id: REST's own parameter handling answers it
        }
    }
}
