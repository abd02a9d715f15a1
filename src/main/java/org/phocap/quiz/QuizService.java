package org.phocap.quiz;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import org.phocap.course.CoursePackage;
import org.phocap.integrity.QuizPassed;
import org.phocap.platform.Caches;
import org.phocap.platform.ClusterJobs;
import org.phocap.platform.Json;
import org.phocap.platform.Overload;
import org.phocap.platform.Problem;
import org.phocap.platform.ProblemException;
import org.phocap.platform.SafeLog;
import org.phocap.platform.SyncCache;
import org.phocap.platform.ThrottledLog;
import org.phocap.progress.CompletionOutbox;
import org.phocap.progress.LearnerAccess;
import org.phocap.stream.StreamEvents;

/**
 * Quiz attempts: drawing a paper, autosave, grading on submit or at expiry. A pass counts for
 * course completion whichever attempt it was (best-score policy: a later failed attempt does not
 * undo an earlier pass).
 */
@ApplicationScoped
public class QuizService {
    private static final Logger LOG = Logger.getLogger(QuizService.class);
    private static final SecureRandom SEEDS = new SecureRandom();
    private static final String ATTEMPT_COLUMNS = """
            a.id, a.quiz_id, a.learner_id, a.number, a.paper::text AS paper, a.answer_key::text AS answer_key,
            a.answers::text AS answers, a.started_at, a.expires_at, a.submitted_at, a.graded_by, a.score, a.correct,
            a.total, a.passed, a.time_used_sec, q.course_id, q.title, q.max_attempts, q.pass_score, q.review
            """;

    /** Grades an attempt once; a pass also stores the course's owed completion check ({@link CompletionOutbox}). */
    private static final String GRADE_SQL = """
            WITH g AS (
                UPDATE quiz_attempt SET answers = $2::text::jsonb, submitted_at = $3, graded_by = $4, score = $5,
                       correct = $6, passed = $7, time_used_sec = $8
                WHERE id = $1 AND submitted_at IS NULL RETURNING id, learner_id),
            o AS (""" + CompletionOutbox.NEEDED_SQL.formatted("""
                (SELECT g.learner_id, $9::bigint AS course_id, $3::timestamptz AS completed_at, $10::float8 AS retry_after
                 FROM g WHERE $7::boolean) AS needed""") + """
            )
            SELECT id FROM g""";

    private final Pool pool;
    private final Json json;
    private final LearnerAccess access;
    private final StreamEvents events;
    private final CompletionOutbox completion;
    private final Clock clock;
    private final Duration sweepEvery;
    private final ClusterJobs jobs;
    private final Duration grace;
    private final boolean partialCredit;
    /**
     * Quiz definitions with parsed banks: a quiz row never changes, so starts need not re-read it
     * (phocap.cache."quiz-definitions", bounded).
     */
    private final SyncCache<Long, Definition> definitions;

    private record Definition(
            long id,
            long courseId,
            String title,
            int questionsPerAttempt,
            int timeLimitSec,
            int maxAttempts,
            int passScore,
            int cooldownSec,
            List<CoursePackage.Question> bank) {}

    private final Event<QuizPassed> passes;

    public QuizService(
            Pool pool,
            Json json,
            LearnerAccess access,
            StreamEvents events,
            CompletionOutbox completion,
            Clock clock,
            QuizConfig quizConfig,
            ClusterJobs jobs,
            Event<QuizPassed> passes,
            Caches caches) {
        this.definitions = caches.named("quiz-definitions");
        Duration grace = quizConfig.submitGrace();
        boolean partialCredit = quizConfig.partialCredit();
        Duration sweepEvery = quizConfig.sweepEvery();
        this.passes = passes;
        this.sweepEvery = sweepEvery;
        this.jobs = jobs;
        this.pool = pool;
        this.json = json;
        this.access = access;
        this.events = events;
        this.completion = completion;
        this.clock = clock;
        this.grace = grace;
        this.partialCredit = partialCredit;
    }

    /** A new attempt (201), or the learner's attempt still in progress (200: the same paper again). */
    public record Started(QuizDtos.AttemptView attempt, boolean created) {}

    public Uni<Started> start(long learnerId, long quizId) {
        Instant now = clock.instant();
        return definition(quizId)
                .flatMap(quiz -> access.require(learnerId, quiz.courseId(), now, "No quiz " + quizId + " for you.")
                        .flatMap(ok -> pool.withTransaction(conn -> openOrNew(conn, learnerId, quiz, now))));
    }

    private Uni<Definition> definition(long quizId) {
        return definitions.get(
                quizId,
                id -> pool.preparedQuery("SELECT *, bank::text AS bank_text FROM quiz_view WHERE id = $1")
                        .execute(Tuple.of(quizId))
                        .map(rows -> {
                            if (rows.size() == 0) {
                                throw ProblemException.notFound("No quiz " + quizId + " for you.");
                            }
                            Row q = rows.iterator().next();
                            Definition quiz = new Definition(
                                    quizId,
                                    q.getLong("course_id"),
                                    q.getString("title"),
                                    q.getInteger("questions_per_attempt"),
                                    q.getInteger("time_limit_sec"),
                                    q.getInteger("max_attempts"),
                                    q.getInteger("pass_score"),
                                    q.getInteger("cooldown_sec"),
                                    List.of(json.read(q.getString("bank_text"), CoursePackage.Question[].class)));
                            return quiz;
                        }));
    }

    private Uni<Started> openOrNew(SqlConnection conn, long learnerId, Definition quiz, Instant now) {
        long quizId = quiz.id();
        return conn.preparedQuery("SELECT " + ATTEMPT_COLUMNS + """
                         FROM quiz_attempt a JOIN quiz_view q ON q.id = a.quiz_id
                        WHERE a.quiz_id = $1 AND a.learner_id = $2 ORDER BY a.number DESC""")
                .execute(Tuple.of(quizId, learnerId))
                .flatMap(rows -> {
                    Row latest = rows.size() == 0 ? null : rows.iterator().next();
                    if (latest != null && latest.getOffsetDateTime("submitted_at") == null && !closed(latest, now)) {
                        return Uni.createFrom().item(new Started(view(latest, null), false));
                    }
                    int used = rows.size();
                    if (used >= quiz.maxAttempts()) {
                        throw ProblemException.conflict(
                                "max-attempts", "All " + quiz.maxAttempts() + " attempts of this quiz are used.");
                    }
                    int cooldown = quiz.cooldownSec();
                    if (latest != null && cooldown > 0) {
                        Instant ended = latest.getOffsetDateTime("submitted_at") != null
                                ? latest.getOffsetDateTime("submitted_at").toInstant()
                                : latest.getOffsetDateTime("expires_at").toInstant();
                        long wait = Duration.between(now, ended.plusSeconds(cooldown))
                                .toSeconds();
                        if (wait > 0) {
                            ProblemException early = ProblemException.conflict(
                                    "cooldown", "The next attempt opens " + cooldown + " s after the last one ended.");
                            throw early.retryAfter((int) wait);
                        }
                    }
                    Paper paper = Paper.draw(quiz.bank(), quiz.questionsPerAttempt(), SEEDS.nextLong());
                    Instant expires = now.plusSeconds(quiz.timeLimitSec());
                    return conn.preparedQuery("""
                                    INSERT INTO quiz_attempt (quiz_id, learner_id, number, paper, answer_key, started_at,
                                                              expires_at, total)
                                    VALUES ($1, $2, $3, $4::text::jsonb, $5::text::jsonb, $6, $7, $8) RETURNING id""")
                            .execute(Tuple.from(new Object[] {
                                quizId,
                                learnerId,
                                used + 1,
                                json.write(new QuizDtos.StoredPaper(paper.questions())),
                                json.write(new QuizDtos.StoredKey(paper.key(), paper.explanations())),
                                now.atOffset(ZoneOffset.UTC),
                                expires.atOffset(ZoneOffset.UTC),
                                paper.questions().size()
                            }))
                            .map(inserted -> new Started(
                                    new QuizDtos.AttemptView(
                                            inserted.iterator().next().getLong(0),
                                            quizId,
                                            quiz.title(),
                                            used + 1,
                                            quiz.maxAttempts(),
                                            quiz.passScore(),
                                            now,
                                            expires,
                                            paper.questions(),
                                            Map.of(),
                                            null,
                                            null),
                                    true));
                });
    }

    /** The attempt's paper again, with the saved answers, and the result once graded (expired ones are graded now). */
    public Uni<QuizDtos.AttemptView> get(long learnerId, long attemptId) {
        Instant now = clock.instant();
        return attempt(learnerId, attemptId).flatMap(row -> {
            if (row.getOffsetDateTime("submitted_at") == null && closed(row, now)) {
                return grade(row, paperOf(row), answersOf(row), "EXPIRY", now)
                        .flatMap(r -> attempt(learnerId, attemptId))
                        .map(graded -> view(graded, result(graded)));
            }
            return Uni.createFrom().item(view(row, row.getOffsetDateTime("submitted_at") == null ? null : result(row)));
        });
    }

    public Uni<Void> save(long learnerId, long attemptId, QuizDtos.AnswerSheet sheet) {
        Instant now = clock.instant();
        return attempt(learnerId, attemptId).flatMap(row -> {
            if (row.getOffsetDateTime("submitted_at") != null || closed(row, now)) {
                throw ProblemException.conflict("attempt-closed", "This attempt is submitted or its time is up.");
            }
            Map<String, List<String>> answers = checked(paperOf(row), sheet);
            return pool.preparedQuery("""
                            UPDATE quiz_attempt SET answers = $2::text::jsonb WHERE id = $1 AND submitted_at IS NULL""")
                    .execute(Tuple.of(attemptId, json.write(new QuizDtos.AnswerSheet(answers))))
                    .replaceWithVoid();
        });
    }

    /** Grades once: a second submit (or one after the time is up) answers the first result. */
    public Uni<QuizDtos.Result> submit(long learnerId, long attemptId, QuizDtos.AnswerSheet sheet) {
        Instant now = clock.instant();
        return attempt(learnerId, attemptId).flatMap(row -> {
            if (row.getOffsetDateTime("submitted_at") != null) {
                return Uni.createFrom().item(result(row));
            }
            List<Paper.Question> paper = paperOf(row);
            if (closed(row, now)) {
                return grade(row, paper, answersOf(row), "EXPIRY", now);
            }
            Map<String, List<String>> answers =
                    sheet == null || sheet.answers() == null ? answersOf(row) : checked(paper, sheet);
            return grade(row, paper, answers, "LEARNER", now);
        });
    }

    /** Attempts whose time (plus grace) is up are graded with their saved answers, a page at a time. */
    @Scheduled(every = "${phocap.quiz.sweep-every}", identity = "quiz-expiry-sweep")
    Uni<Void> sweep() {
        return jobs.once("quiz-expiry-sweep", sweepEvery, this::gradeExpired);
    }

    Uni<Void> gradeExpired() {
        Instant now = clock.instant();
        return pool.preparedQuery("SELECT " + ATTEMPT_COLUMNS + """
                         FROM quiz_attempt a JOIN quiz_view q ON q.id = a.quiz_id
                        WHERE a.submitted_at IS NULL AND a.expires_at < $1 ORDER BY a.expires_at LIMIT 500""")
                .execute(Tuple.of(now.minus(grace).atOffset(ZoneOffset.UTC)))
                .onItem()
                .transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .onItem()
                .transformToUniAndConcatenate(row -> grade(row, paperOf(row), answersOf(row), "EXPIRY", now)
                        .onFailure()
                        .recoverWithItem(e -> {
                            SafeLog.error(LOG, "An expired quiz attempt could not be graded", e);
                            return null;
                        }))
                .collect()
                .asList()
                .replaceWithVoid();
    }

    private Uni<QuizDtos.Result> grade(
            Row row, List<Paper.Question> paper, Map<String, List<String>> answers, String by, Instant now) {
        Map<String, List<String>> key =
                json.read(row.getString("answer_key"), QuizDtos.StoredKey.class).key();
        Grader.Grade grade = Grader.grade(paper, key, answers, row.getInteger("pass_score"), partialCredit);
        Instant started = row.getOffsetDateTime("started_at").toInstant();
        Instant expires = row.getOffsetDateTime("expires_at").toInstant();
        Instant end = now.isAfter(expires) ? expires : now;
        int used = (int) Math.max(0, Duration.between(started, end).toSeconds());
        long attemptId = row.getLong("id");
        // A pass owes the course a completion check: the need is stored with the grade, in one statement.
        return pool.preparedQuery(GRADE_SQL)
                .execute(Tuple.from(new Object[] {
                    attemptId,
                    json.write(new QuizDtos.AnswerSheet(answers)),
                    now.atOffset(ZoneOffset.UTC),
                    by,
                    grade.score(),
                    grade.correct(),
                    grade.passed(),
                    used,
                    row.getLong("course_id"),
                    completion.retryAfterSec()
                }))
                .flatMap(updated -> {
                    if (updated.size() == 0) {
                        // Graded meanwhile by another call: that first result stands.
                        return attempt(row.getLong("learner_id"), attemptId).map(QuizService::result);
                    }
                    QuizDtos.Result result = new QuizDtos.Result(
                            attemptId, grade.score(), 100, grade.passed(), grade.correct(), grade.total(), used, by);
                    // The grade is stored; the stream event and the completion check need not hold the answer.
                    graded(row, result, now).subscribe().with(done -> {}, e -> {});
                    return Uni.createFrom().item(result);
                });
    }

    /** Tells the learner's stream, and on a pass re-evaluates course completion; a failure here loses no grade. */
    private Uni<Void> graded(Row row, QuizDtos.Result result, Instant now) {
        long courseId = row.getLong("course_id");
        long learnerId = row.getLong("learner_id");
        return events.publishAll(List.of(new StreamEvents.Outgoing(
                        courseId,
                        learnerId,
                        "quiz-graded",
                        Map.of(
                                "attemptId",
                                result.attemptId(),
                                "quizId",
                                row.getLong("quiz_id"),
                                "score",
                                result.score(),
                                "passed",
                                result.passed(),
                                "correct",
                                result.correct(),
                                "total",
                                result.total()))))
                .chain(() -> {
                    if (!result.passed()) {
                        return Uni.createFrom().voidItem();
                    }
                    QuizPassed pass = new QuizPassed(
                            learnerId,
                            courseId,
                            row.getLong("quiz_id"),
                            result.attemptId(),
                            result.total(),
                            result.timeUsedSec() == null ? 0 : result.timeUsedSec(),
                            result.gradedBy());
                    passes.fire(pass);
                    // A flag the pass raised is stored before the completion check reads the holds.
                    return pass.observed()
                            .chain(() -> completion.checkNow(learnerId, courseId, now))
                            .replaceWithVoid();
                })
                .onFailure()
                .recoverWithItem(e -> {
                    // A pass's completion check is in the outbox either way; only the stream event is lost.
                    if (Overload.transientDatabase(e)) {
                        ThrottledLog.warn(
                                LOG, "Quiz grade events are not published while the database is busy or unreachable");
                    } else {
                        SafeLog.error(LOG, "Quiz grade events were not published", e);
                    }
                    return null;
                });
    }

    private Uni<Row> attempt(long learnerId, long attemptId) {
        return pool.preparedQuery(
                        "SELECT " + ATTEMPT_COLUMNS
                                + " FROM quiz_attempt a JOIN quiz_view q ON q.id = a.quiz_id WHERE a.id = $1 AND a.learner_id = $2")
                .execute(Tuple.of(attemptId, learnerId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.notFound("No attempt " + attemptId + " for you.");
                    }
                    return rows.iterator().next();
                });
    }

    private boolean closed(Row row, Instant now) {
        return now.isAfter(row.getOffsetDateTime("expires_at").toInstant().plus(grace));
    }

    private Map<String, List<String>> answersOf(Row row) {
        Map<String, List<String>> saved =
                json.read(row.getString("answers"), QuizDtos.AnswerSheet.class).answers();
        return saved == null ? Map.of() : saved;
    }

    /** Answers must name questions of this paper and their options; SINGLE and TRUE_FALSE take one key. */
    private Map<String, List<String>> checked(List<Paper.Question> paper, QuizDtos.AnswerSheet sheet) {
        if (sheet == null || sheet.answers() == null) {
            throw ProblemException.invalid("answers", "required: question id → chosen option keys");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        for (var entry : sheet.answers().entrySet()) {
            Paper.Question question = paper.stream()
                    .filter(q -> q.id().equals(entry.getKey()))
                    .findFirst()
                    .orElse(null);
            String field = "answers." + entry.getKey();
            if (question == null) {
                errors.add(new Problem.FieldError(field, "not a question of this attempt"));
                continue;
            }
            List<String> keys = entry.getValue() == null ? List.of() : entry.getValue();
            Set<String> known = new HashSet<>(
                    question.options().stream().map(Paper.Option::key).toList());
            if (!known.containsAll(keys) || new HashSet<>(keys).size() != keys.size()) {
                errors.add(new Problem.FieldError(field, "unknown or repeated option key"));
            } else if (!"MULTIPLE".equals(question.kind()) && keys.size() > 1) {
                errors.add(new Problem.FieldError(field, "one option only"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(
                    400, "validation", "Invalid input", "Some answers do not fit the paper.", errors);
        }
        return sheet.answers();
    }

    private List<Paper.Question> paperOf(Row row) {
        return json.read(row.getString("paper"), QuizDtos.StoredPaper.class).questions();
    }

    private QuizDtos.AttemptView view(Row row, QuizDtos.Result result) {
        List<Paper.Question> paper = paperOf(row);
        Map<String, List<String>> answers = answersOf(row);
        return new QuizDtos.AttemptView(
                row.getLong("id"),
                row.getLong("quiz_id"),
                row.getString("title"),
                row.getInteger("number"),
                row.getInteger("max_attempts"),
                row.getInteger("pass_score"),
                row.getOffsetDateTime("started_at").toInstant(),
                row.getOffsetDateTime("expires_at").toInstant(),
                paper,
                answers,
                result,
                result != null && row.getBoolean("review") ? review(row, paper, answers) : null);
    }

    /** Only ever built for a graded attempt of a quiz that allows review. */
    private List<QuizDtos.Review> review(Row row, List<Paper.Question> paper, Map<String, List<String>> answers) {
        QuizDtos.StoredKey stored = json.read(row.getString("answer_key"), QuizDtos.StoredKey.class);
        Map<String, String> explanations = stored.explanations() == null ? Map.of() : stored.explanations();
        return paper.stream()
                .map(q -> {
                    List<String> right = stored.key().getOrDefault(q.id(), List.of());
                    List<String> chosen = answers.getOrDefault(q.id(), List.of());
                    return new QuizDtos.Review(
                            q.id(),
                            right,
                            chosen,
                            new HashSet<>(right).equals(new HashSet<>(chosen)),
                            explanations.get(q.id()));
                })
                .toList();
    }

    private static QuizDtos.Result result(Row row) {
        return new QuizDtos.Result(
                row.getLong("id"),
                row.getInteger("score"),
                100,
                row.getBoolean("passed"),
                row.getInteger("correct"),
                row.getInteger("total"),
                row.getInteger("time_used_sec"),
                row.getString("graded_by"));
    }

    /**
     * Demo history only (the demo's finished learners): records a passed first attempt at each quiz
     * of the course's newest version for each learner. Nothing but the demo calls it.
     */
    public Uni<Void> recordPassedForDemo(SqlConnection conn, Long[] learnerIds, long courseId) {
        return conn.preparedQuery("""
                        INSERT INTO quiz_attempt (quiz_id, learner_id, number, paper, answer_key, answers, started_at,
                            expires_at, submitted_at, graded_by, score, correct, total, passed, time_used_sec)
                        SELECT cvq.quiz_id, l.id, 1, '{"questions":[]}', '{"key":{}}', '{}', now() - interval '10 minutes',
                               now() + interval '1 hour', now() - interval '5 minutes', 'LEARNER', 100, 10, 10, true, 300
                        FROM unnest($1::bigint[]) AS l(id)
                        CROSS JOIN (SELECT id FROM course_version_view WHERE course_id = $2 ORDER BY version DESC LIMIT 1) v
                        JOIN course_version_quiz_view cvq ON cvq.version_id = v.id
                        ON CONFLICT DO NOTHING""").execute(Tuple.of(learnerIds, courseId)).replaceWithVoid();
    }
}
