package org.phocap.course;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.phocap.auth.Subject;
import org.phocap.platform.Caches;
import org.phocap.platform.Hashing;
import org.phocap.platform.Json;
import org.phocap.platform.ProblemException;
import org.phocap.platform.SyncCache;

/**
 * Course packages: each POST of a code adds an immutable version. A lesson whose code and
 * content (title, kind, duration, body, media, completion rule) are unchanged keeps its id
 * across versions, so progress recorded against it carries over; a changed lesson gets a new id.
 */
@ApplicationScoped
public class CourseService {
    private static final double DEFAULT_COVERAGE = 0.9;

    private final Pool pool;
    private final Json json;
    /** Outlines by version id (phocap.cache."course-outlines"); see {@link #latest}. */
    private final SyncCache<Long, Published> outlines;

    public CourseService(Pool pool, Json json, Caches caches) {
        this.pool = pool;
        this.outlines = caches.named("course-outlines");
        this.json = json;
    }

    /** A published outline and its entity tag. */
    public record Published(CourseView course, String etag) {}

    /** Media that arrived with a package (zip), already in the store, by lesson code. */
    public record AttachedMedia(String sha256, String contentType, long size) {}

    public Uni<Published> publish(CoursePackage pkg) {
        return publish(pkg, Map.of());
    }

    public Uni<Published> publish(CoursePackage pkg, Map<String, AttachedMedia> media) {
        PackageRules.check(pkg);
        String packageJson = json.write(pkg);
        String etag = Hashing.sha256(packageJson);
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        INSERT INTO course (code) VALUES ($1)
                        ON CONFLICT (code) DO UPDATE SET code = excluded.code RETURNING id""")
                        .execute(Tuple.of(pkg.code()))
                        .map(rows -> rows.iterator().next().getLong(0))
                        .flatMap(courseId -> conn.preparedQuery("""
                                INSERT INTO course_version (course_id, version, title, language, package, etag)
                                SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4::text::jsonb, $5
                                FROM course_version WHERE course_id = $1
                                RETURNING id""")
                                .execute(Tuple.of(
                                        courseId,
                                        pkg.title().strip(),
                                        pkg.language().strip(),
                                        packageJson,
                                        etag))
                                .map(rows -> rows.iterator().next().getLong(0))
                                .flatMap(versionId -> saveLessons(conn, courseId, versionId, pkg, media)
                                        .call(() -> saveQuizzes(conn, courseId, versionId, pkg)))))
                .flatMap(courseId -> latest(courseId));
    }

    private Uni<Long> saveLessons(
            SqlConnection conn, long courseId, long versionId, CoursePackage pkg, Map<String, AttachedMedia> media) {
        List<CoursePackage.Lesson> lessons = new ArrayList<>();
        List<CoursePackage.Module> modules = new ArrayList<>();
        for (CoursePackage.Module module : pkg.modules()) {
            for (CoursePackage.Lesson lesson : module.lessons()) {
                lessons.add(lesson);
                modules.add(module);
            }
        }
        return conn.preparedQuery("""
                        INSERT INTO lesson (course_id, code, content_hash, title, kind, duration_sec, body, media, min_coverage)
                        SELECT $1, * FROM unnest($2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::int[],
                                                 $7::text[], $8::varchar[], $9::float8[])
                        ON CONFLICT (course_id, code, content_hash) DO UPDATE SET title = excluded.title
                        RETURNING id, code""")
                .execute(Tuple.from(new Object[] {
                    courseId,
                    lessons.stream().map(CoursePackage.Lesson::code).toArray(String[]::new),
                    lessons.stream().map(l -> Hashing.sha256(json.write(l))).toArray(String[]::new),
                    lessons.stream().map(l -> l.title().strip()).toArray(String[]::new),
                    lessons.stream().map(CoursePackage.Lesson::kind).toArray(String[]::new),
                    lessons.stream().map(CoursePackage.Lesson::durationSec).toArray(Integer[]::new),
                    lessons.stream().map(CoursePackage.Lesson::body).toArray(String[]::new),
                    lessons.stream().map(CoursePackage.Lesson::media).toArray(String[]::new),
                    lessons.stream().map(CourseService::coverage).toArray(Double[]::new)
                }))
                .flatMap(rows -> {
                    Map<String, Long> ids = new HashMap<>();
                    rows.forEach(r -> ids.put(r.getString("code"), r.getLong("id")));
                    return conn.preparedQuery("""
                                    INSERT INTO course_version_lesson (version_id, lesson_id, module_code, module_title, position)
                                    SELECT $1, * FROM unnest($2::bigint[], $3::varchar[], $4::varchar[], $5::int[])""")
                            .execute(Tuple.from(new Object[] {
                                versionId,
                                lessons.stream().map(l -> ids.get(l.code())).toArray(Long[]::new),
                                modules.stream().map(CoursePackage.Module::code).toArray(String[]::new),
                                modules.stream().map(m -> m.title().strip()).toArray(String[]::new),
                                java.util.stream.IntStream.range(0, lessons.size())
                                        .boxed()
                                        .toArray(Integer[]::new)
                            }))
                            .flatMap(x -> attach(conn, ids, media));
                })
                .replaceWith(courseId);
    }

    /** Quizzes with their banks, content-addressed like lessons so attempts carry over unchanged quizzes. */
    private Uni<Void> saveQuizzes(SqlConnection conn, long courseId, long versionId, CoursePackage pkg) {
        List<CoursePackage.Quiz> quizzes = pkg.quizzes() == null ? List.of() : pkg.quizzes();
        if (quizzes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("""
                        INSERT INTO quiz (course_id, code, content_hash, title, questions_per_attempt, time_limit_sec,
                                          max_attempts, pass_score, bank, review, cooldown_sec, score_policy)
                        SELECT $1, c, h, t, q, l, m, p, b::jsonb, r, cd, sp FROM unnest($2::varchar[], $3::varchar[],
                               $4::varchar[], $5::int[], $6::int[], $7::int[], $8::int[], $9::text[], $10::bool[], $11::int[],
                               $12::varchar[]) AS x(c, h, t, q, l, m, p, b, r, cd, sp)
                        ON CONFLICT (course_id, code, content_hash) DO UPDATE SET title = excluded.title
                        RETURNING id, code""")
                .execute(Tuple.from(new Object[] {
                    courseId,
                    quizzes.stream().map(CoursePackage.Quiz::code).toArray(String[]::new),
                    quizzes.stream().map(q -> Hashing.sha256(json.write(q))).toArray(String[]::new),
                    quizzes.stream().map(q -> q.title().strip()).toArray(String[]::new),
                    quizzes.stream()
                            .map(CoursePackage.Quiz::questionsPerAttempt)
                            .toArray(Integer[]::new),
                    quizzes.stream().map(CoursePackage.Quiz::timeLimitSec).toArray(Integer[]::new),
                    quizzes.stream().map(CoursePackage.Quiz::maxAttempts).toArray(Integer[]::new),
                    quizzes.stream().map(CoursePackage.Quiz::passScore).toArray(Integer[]::new),
                    quizzes.stream().map(q -> json.write(q.questions())).toArray(String[]::new),
                    quizzes.stream().map(q -> Boolean.TRUE.equals(q.review())).toArray(Boolean[]::new),
                    quizzes.stream()
                            .map(q -> q.cooldownSec() == null ? 0 : q.cooldownSec())
                            .toArray(Integer[]::new),
                    quizzes.stream()
                            .map(q -> q.scorePolicy() == null ? "BEST" : q.scorePolicy())
                            .toArray(String[]::new)
                }))
                .flatMap(rows -> {
                    Map<String, Long> ids = new HashMap<>();
                    rows.forEach(r -> ids.put(r.getString("code"), r.getLong("id")));
                    return conn.preparedQuery("""
                                    INSERT INTO course_version_quiz (version_id, quiz_id, position)
                                    SELECT $1, * FROM unnest($2::bigint[], $3::int[])""")
                            .execute(Tuple.of(
                                    versionId,
                                    quizzes.stream().map(q -> ids.get(q.code())).toArray(Long[]::new),
                                    java.util.stream.IntStream.range(0, quizzes.size())
                                            .boxed()
                                            .toArray(Integer[]::new)));
                })
                .replaceWithVoid();
    }

    private static Uni<Void> attach(SqlConnection conn, Map<String, Long> lessonIds, Map<String, AttachedMedia> media) {
        if (media.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> codes = new ArrayList<>(media.keySet());
        return conn.preparedQuery("""
                        INSERT INTO lesson_media (lesson_id, blob_key, content_type, size)
                        SELECT * FROM unnest($1::bigint[], $2::varchar[], $3::varchar[], $4::bigint[])
                        ON CONFLICT (lesson_id) DO UPDATE SET blob_key = excluded.blob_key,
                            content_type = excluded.content_type, size = excluded.size, updated_at = now()""")
                .execute(Tuple.of(
                        codes.stream().map(lessonIds::get).toArray(Long[]::new),
                        codes.stream().map(c -> media.get(c).sha256()).toArray(String[]::new),
                        codes.stream().map(c -> media.get(c).contentType()).toArray(String[]::new),
                        codes.stream().map(c -> media.get(c).size()).toArray(Long[]::new)))
                .replaceWithVoid();
    }

    /** The newest version's outline; learners only for courses of their campaigns (404 otherwise). */
    public Uni<Published> outline(long courseId, Subject caller) {
        return requireVisible(courseId, caller).flatMap(ok -> latest(courseId));
    }

    /**
     * The newest version's outline without a visibility check, for callers that made their own
     * (lesson streams ask the learner's cached enrolments instead of another query).
     */
    public Uni<Published> newestOutline(long courseId) {
        return latest(courseId);
    }

    /** A lesson's content and its entity tag: content never changes under an id, so its hash is the tag. */
    public record TaggedLesson(LessonContent content, String etag) {}

    public Uni<TaggedLesson> lesson(long lessonId, Subject caller) {
        return pool.preparedQuery("SELECT * FROM lesson WHERE id = $1")
                .execute(Tuple.of(lessonId))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().failure(ProblemException.notFound("No lesson " + lessonId + "."));
                    }
                    Row l = rows.iterator().next();
                    return requireVisible(l.getLong("course_id"), caller)
                            .onFailure()
                            .transform(e -> ProblemException.notFound("No lesson " + lessonId + "."))
                            .replaceWith(new TaggedLesson(
                                    new LessonContent(
                                            l.getLong("id"),
                                            l.getLong("course_id"),
                                            l.getString("code"),
                                            l.getString("title"),
                                            l.getString("kind"),
                                            l.getInteger("duration_sec"),
                                            l.getString("body"),
                                            l.getString("media") != null,
                                            l.getDouble("min_coverage")),
                                    l.getString("content_hash")));
                });
    }

    private Uni<Void> requireVisible(long courseId, Subject caller) {
        var query = caller.kind() == Subject.Kind.STAFF
                ? pool.preparedQuery("SELECT 1 FROM course WHERE id = $1").execute(Tuple.of(courseId))
                : pool.preparedQuery("""
                        SELECT 1 FROM enrolment_view e JOIN campaign_view c ON c.id = e.campaign_id
                        WHERE e.learner_id = $2 AND $1 = ANY(c.course_ids) LIMIT 1""").execute(Tuple.of(courseId, caller.id()));
        return query.map(rows -> {
            if (rows.size() == 0) {
                throw ProblemException.notFound("No course " + courseId + " for you.");
            }
            return null;
        });
    }

    /**
     * The newest version's outline. Versions never change, so outlines are cached by version id:
     * thousands of streams opening on one course share one outline instead of each re-reading
     * and re-parsing the package. The cache holds the loading itself, so the streams that open
     * together on a pod that has just started share one load too (500 parses of the package at
     * once blocked a cold pod's event loop for seconds); a failed load is forgotten.
     */
    private Uni<Published> latest(long courseId) {
        return pool.preparedQuery("SELECT id FROM course_version WHERE course_id = $1 ORDER BY version DESC LIMIT 1")
                .execute(Tuple.of(courseId))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().failure(ProblemException.notFound("No course " + courseId + "."));
                    }
                    long versionId = rows.iterator().next().getLong(0);
                    return outlines.get(versionId, id -> load(courseId, versionId));
                });
    }

    /** Media changed under a lesson: outlines show whether a lesson has media, so forget them. */
    void mediaChanged() {
        outlines.clear();
    }

    private Uni<Published> load(long courseId, long versionId) {
        return pool.preparedQuery("""
                        SELECT v.id, v.version, v.package::text AS package, v.etag, v.created_at, c.code
                        FROM course_version v JOIN course c ON c.id = v.course_id WHERE v.id = $1""").execute(Tuple.of(versionId)).flatMap(rows -> {
            Row v = rows.iterator().next();
            return pool.preparedQuery("""
                                    SELECT l.id, l.code, l.media FROM course_version_lesson cvl JOIN lesson l ON l.id = cvl.lesson_id
                                    WHERE cvl.version_id = $1""")
                    .execute(Tuple.of(v.getLong("id")))
                    .flatMap(lessonRows -> pool.preparedQuery("""
                                            SELECT q.id, q.code FROM course_version_quiz cvq JOIN quiz q ON q.id = cvq.quiz_id
                                            WHERE cvq.version_id = $1""")
                            .execute(Tuple.of(v.getLong("id")))
                            .map(quizRows -> {
                                Map<String, Row> byCode = new HashMap<>();
                                lessonRows.forEach(r -> byCode.put(r.getString("code"), r));
                                Map<String, Long> quizIds = new HashMap<>();
                                quizRows.forEach(r -> quizIds.put(r.getString("code"), r.getLong("id")));
                                CoursePackage pkg = json.read(v.getString("package"), CoursePackage.class);
                                return new Published(view(courseId, v, pkg, byCode, quizIds), v.getString("etag"));
                            }));
        });
    }

    private static CourseView view(
            long courseId, Row version, CoursePackage pkg, Map<String, Row> lessons, Map<String, Long> quizIds) {
        List<CourseView.ModuleView> modules = pkg.modules().stream()
                .map(m -> new CourseView.ModuleView(
                        m.code(),
                        m.title(),
                        m.lessons().stream()
                                .map(l -> new CourseView.LessonView(
                                        lessons.get(l.code()).getLong("id"),
                                        l.code(),
                                        l.title(),
                                        l.kind(),
                                        l.durationSec(),
                                        lessons.get(l.code()).getString("media") != null,
                                        coverage(l)))
                                .toList()))
                .toList();
        List<CourseView.QuizView> quizzes = (pkg.quizzes() == null ? List.<CoursePackage.Quiz>of() : pkg.quizzes())
                .stream()
                        .map(q -> new CourseView.QuizView(
                                quizIds.getOrDefault(q.code(), 0L),
                                q.code(),
                                q.title(),
                                q.questionsPerAttempt(),
                                q.timeLimitSec(),
                                q.maxAttempts(),
                                q.passScore(),
                                q.questions().size()))
                        .toList();
        return new CourseView(
                courseId,
                version.getString("code"),
                version.getInteger("version"),
                pkg.title(),
                pkg.language(),
                modules,
                quizzes,
                version.getOffsetDateTime("created_at").toInstant());
    }

    private static double coverage(CoursePackage.Lesson lesson) {
        return lesson.completion() == null || lesson.completion().minCoverage() == null
                ? DEFAULT_COVERAGE
                : lesson.completion().minCoverage();
    }
}
