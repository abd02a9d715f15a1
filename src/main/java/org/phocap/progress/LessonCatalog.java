package org.phocap.progress;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.phocap.platform.Caches;
import org.phocap.platform.ProblemException;
import org.phocap.platform.SyncCache;

/**
 * Lesson facts for the hot path. A lesson row is immutable (new content makes a new row), so
 * entries never go stale; the map is only bounded.
 */
@ApplicationScoped
public class LessonCatalog {
    private final Pool pool;
    /** Lesson rows never change: kept until the cache is full (phocap.cache."lessons"). */
    private final SyncCache<Long, LessonMeta> cache;

    public LessonCatalog(Pool pool, Caches caches) {
        this.pool = pool;
        this.cache = caches.named("lessons");
    }

    /** The lesson, or a 404 problem when there is none. */
    Uni<LessonMeta> lesson(long lessonId) {
        return cache.get(
                lessonId,
                id -> pool.preparedQuery(
                                "SELECT id, course_id, kind, duration_sec, min_coverage FROM lesson_view WHERE id = $1")
                        .execute(Tuple.of(lessonId))
                        .map(rows -> {
                            if (rows.size() == 0) {
                                throw ProblemException.notFound("No lesson " + lessonId + " for you.");
                            }
                            return meta(rows.iterator().next());
                        }));
    }

    /** The lessons of a course's newest version, in outline order. */
    Uni<java.util.List<LessonMeta>> ofCourse(long courseId) {
        return pool.preparedQuery("""
                        SELECT l.id, l.course_id, l.kind, l.duration_sec, l.min_coverage
                        FROM course_version_lesson_view cvl JOIN lesson_view l ON l.id = cvl.lesson_id
                        WHERE cvl.version_id = (SELECT id FROM course_version_view WHERE course_id = $1 ORDER BY version DESC LIMIT 1)
                        ORDER BY cvl.position""").execute(Tuple.of(courseId)).map(rows -> {
            java.util.List<LessonMeta> lessons = new java.util.ArrayList<>();
            rows.forEach(r -> lessons.add(meta(r)));
            return lessons;
        });
    }

    private static LessonMeta meta(Row r) {
        return new LessonMeta(
                r.getLong("id"),
                r.getLong("course_id"),
                r.getString("kind"),
                r.getInteger("duration_sec"),
                r.getDouble("min_coverage"));
    }
}
