package org.phocap.progress;

import static org.phocap.platform.Times.instant;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.phocap.platform.Caches;
import org.phocap.platform.ProblemException;
import org.phocap.platform.SyncCache;

/**
 * Which courses a learner may study and when: their enrolments with each campaign's courses and
 * the window (plus grace) of their wave. Read once per learner and kept for {@code access-ttl},
 * because every heartbeat asks; a wave moved or a learner re-assigned takes effect within that time.
 */
@ApplicationScoped
public class LearnerAccess {

    /** One enrolment: the campaign's courses and the wave window, null when not assigned to a wave. */
    record Enrolment(List<Long> courseIds, Instant opensAt, Instant closesAt) {
        boolean openAt(Instant at) {
            return opensAt != null && !at.isBefore(opensAt) && at.isBefore(closesAt);
        }
    }

    private final Pool pool;
    /** A learner's enrolments and wave windows, kept for phocap.progress.access-ttl (phocap.cache."learner-access"). */
    private final SyncCache<Long, List<Enrolment>> cache;

    public LearnerAccess(Pool pool, Caches caches) {
        this.pool = pool;
        this.cache = caches.named("learner-access");
    }

    /** Passes when the learner may study the course at this instant: 404 when not enrolled, 409 when no wave is open. */
    Uni<Void> check(long learnerId, long courseId, long lessonId, Instant at) {
        return require(learnerId, courseId, at, "No lesson " + lessonId + " for you.");
    }

    /** The same for any course item; {@code notFound} is the detail of the 404. */
    public Uni<Void> require(long learnerId, long courseId, Instant at, String notFound) {
        return standing(learnerId, courseId, at).map(standing -> switch (standing) {
            case OPEN -> null;
            case NOT_ENROLLED -> throw ProblemException.notFound(notFound);
            case WAVE_CLOSED -> throw ProblemException.conflict("wave-closed", "Your training wave is not open now.");
        });
    }

    /** Where a learner stands with a course at an instant. */
    public enum Standing {
        /** No enrolment in a campaign that teaches the course: the course does not exist for them. */
        NOT_ENROLLED,
        /** Enrolled, but no wave of theirs that teaches it is open (plus grace): lessons are locked. */
        WAVE_CLOSED,
        /** Enrolled, in an open wave: they may study now. */
        OPEN
    }

    public Uni<Standing> standing(long learnerId, long courseId, Instant at) {
        return enrolments(learnerId).map(enrolments -> {
            Standing standing = Standing.NOT_ENROLLED;
            for (Enrolment e : enrolments) {
                if (e.courseIds().contains(courseId)) {
                    if (e.openAt(at)) {
                        return Standing.OPEN;
                    }
                    standing = Standing.WAVE_CLOSED;
                }
            }
            return standing;
        });
    }

    /** Whether the learner's enrolments are in memory now (a standing then costs no query). */
    public boolean known(long learnerId) {
        return cache.contains(learnerId);
    }

    Uni<List<Enrolment>> enrolments(long learnerId) {
        return cache.get(learnerId, id -> load(learnerId));
    }

    private Uni<List<Enrolment>> load(long learnerId) {
        return pool.preparedQuery("""
                        SELECT c.course_ids, w.opens_at, w.closes_at + make_interval(mins => w.grace_minutes) AS closes
                        FROM enrolment_view e JOIN campaign_view c ON c.id = e.campaign_id LEFT JOIN wave_view w ON w.id = e.wave_id
                        WHERE e.learner_id = $1""").execute(Tuple.of(learnerId)).map(rows -> {
            List<Enrolment> enrolments = new ArrayList<>();
            for (Row r : rows) {
                Long[] courses = r.getArrayOfLongs("course_ids");
                enrolments.add(new Enrolment(
                        courses == null ? List.of() : List.of(courses),
                        instant(r.getOffsetDateTime("opens_at")),
                        instant(r.getOffsetDateTime("closes"))));
            }
            return enrolments;
        });
    }
}
