package org.phocap.progress;

import static org.phocap.platform.Times.instant;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.phocap.platform.ProblemException;

/**
 * Which courses a learner may study and when: their enrolments with each campaign's courses and
 * the window (plus grace) of their wave. Read once per learner and kept for {@code access-ttl},
 * because every heartbeat asks; a wave moved or a learner re-assigned takes effect within that time.
 */
@ApplicationScoped
public class LearnerAccess {
    private static final int MAX_ENTRIES = 200_000;

    /** One enrolment: the campaign's courses and the wave window, null when not assigned to a wave. */
    record Enrolment(List<Long> courseIds, Instant opensAt, Instant closesAt) {
        boolean openAt(Instant at) {
            return opensAt != null && !at.isBefore(opensAt) && at.isBefore(closesAt);
        }
    }

    private record Entry(List<Enrolment> enrolments, long loadedNanos) {}

    private final Pool pool;
    private final long ttlNanos;
    private final Map<Long, Entry> cache = new ConcurrentHashMap<>();

    public LearnerAccess(Pool pool, ProgressConfig progressConfig) {
        Duration ttl = progressConfig.accessTtl();
        this.pool = pool;
        this.ttlNanos = ttl.toNanos();
    }

    /** Passes when the learner may study the course at this instant: 404 when not enrolled, 409 when no wave is open. */
    Uni<Void> check(long learnerId, long courseId, long lessonId, Instant at) {
        return require(learnerId, courseId, at, "No lesson " + lessonId + " for you.");
    }

    /** The same for any course item; {@code notFound} is the detail of the 404. */
    public Uni<Void> require(long learnerId, long courseId, Instant at, String notFound) {
        return enrolments(learnerId).map(enrolments -> {
            boolean enrolled = false;
            for (Enrolment e : enrolments) {
                if (e.courseIds().contains(courseId)) {
                    enrolled = true;
                    if (e.openAt(at)) {
                        return null;
                    }
                }
            }
            if (!enrolled) {
                throw ProblemException.notFound(notFound);
            }
            throw ProblemException.conflict("wave-closed", "Your training wave is not open now.");
        });
    }

    Uni<List<Enrolment>> enrolments(long learnerId) {
        Entry entry = cache.get(learnerId);
        if (entry != null && System.nanoTime() - entry.loadedNanos() < ttlNanos) {
            return Uni.createFrom().item(entry.enrolments());
        }
        return pool.preparedQuery("""
                        SELECT c.course_ids, w.opens_at, w.closes_at + make_interval(mins => w.grace_minutes) AS closes
                        FROM enrolment e JOIN campaign c ON c.id = e.campaign_id LEFT JOIN wave w ON w.id = e.wave_id
                        WHERE e.learner_id = $1""").execute(Tuple.of(learnerId)).map(rows -> {
            List<Enrolment> enrolments = new ArrayList<>();
            for (Row r : rows) {
                Long[] courses = r.getArrayOfLongs("course_ids");
                enrolments.add(new Enrolment(
                        courses == null ? List.of() : List.of(courses),
                        instant(r.getOffsetDateTime("opens_at")),
                        instant(r.getOffsetDateTime("closes"))));
            }
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
            cache.put(learnerId, new Entry(enrolments, System.nanoTime()));
            return enrolments;
        });
    }
}
