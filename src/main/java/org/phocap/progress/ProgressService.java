package org.phocap.progress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.phocap.course.CourseView;
import org.phocap.platform.Problem;
import org.phocap.platform.ProblemException;

/**
 * Heartbeats in, credit out. Checks what can be checked without the database (shape, device),
 * then the lesson and the learner's enrolment and wave (both cached), and hands the heartbeat to
 * group commit; the answer leaves only once the credit is committed.
 */
// Created at start, its heartbeat counters with it: the dashboard's heartbeats/s has a series at once.
@Startup
@ApplicationScoped
public class ProgressService {
    /** The most heartbeats one offline replay may carry. */
    public static final int MAX_REPLAY = 500;

    private final LessonCatalog catalog;
    private final LearnerAccess access;
    private final HeartbeatCommitter committer;
    private final ProgressStore store;
    private final Clock clock;
    private final MeterRegistry metrics;
    /** Micrometer counters by outcome (a handful of fixed tags): handles, not cached data. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public ProgressService(
            LessonCatalog catalog,
            LearnerAccess access,
            HeartbeatCommitter committer,
            ProgressStore store,
            Clock clock,
            MeterRegistry metrics) {
        this.catalog = catalog;
        this.access = access;
        this.committer = committer;
        this.store = store;
        this.clock = clock;
        this.metrics = metrics;
        counter("accepted", "");
        counter("repeat", "");
    }

    /** One answer of an offline replay, in the order of the request; a result or a problem. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record ReplayAnswer(int index, Long seq, int status, HeartbeatResult result, Problem problem) {}

    public Uni<HeartbeatResult> heartbeat(long learnerId, String deviceId, Heartbeat h) {
        Instant now = clock.instant();
        try {
            HeartbeatChecks.device(deviceId);
            HeartbeatChecks.shape(h, "", now, false);
        } catch (ProblemException e) {
            count("rejected", "validation");
            throw e;
        }
        return allowed(learnerId, h.lessonId(), now)
                .invoke(lesson -> HeartbeatChecks.position(h, lesson, ""))
                .flatMap(lesson -> committer.submit(new HeartbeatBatch.Submission(
                        learnerId, deviceId, now, false, List.of(new HeartbeatBatch.Item(h, lesson)))))
                .map(outcomes -> {
                    HeartbeatBatch.Outcome outcome = outcomes.get(0);
                    if (outcome.problem() != null) {
                        throw outcome.problem();
                    }
                    count(outcome.result().duplicate() ? "repeat" : "accepted", "");
                    return outcome.result();
                })
                .onFailure(ProblemException.class)
                .invoke(e -> count("rejected", ((ProblemException) e).slug()));
    }

    public Uni<List<ReplayAnswer>> replay(long learnerId, String deviceId, List<Heartbeat> heartbeats) {
        Instant now = clock.instant();
        HeartbeatChecks.device(deviceId);
        if (heartbeats == null || heartbeats.isEmpty() || heartbeats.size() > MAX_REPLAY) {
            throw ProblemException.invalid("", "A replay carries 1 to " + MAX_REPLAY + " heartbeats.");
        }
        ReplayAnswer[] answers = new ReplayAnswer[heartbeats.size()];
        Map<Long, List<Integer>> byLesson = new LinkedHashMap<>();
        for (int i = 0; i < heartbeats.size(); i++) {
            try {
                HeartbeatChecks.shape(heartbeats.get(i), "[" + i + "].", now, true);
                byLesson.computeIfAbsent(heartbeats.get(i).lessonId(), k -> new ArrayList<>())
                        .add(i);
            } catch (ProblemException e) {
                answers[i] = refused(i, heartbeats.get(i), e);
            }
        }
        Map<Long, LessonMeta> allowed = new HashMap<>();
        List<Uni<Void>> checks = byLesson.entrySet().stream()
                .map(entry -> allowed(learnerId, entry.getKey(), now)
                        .invoke(lesson -> allowed.put(lesson.lessonId(), lesson))
                        .onFailure(ProblemException.class)
                        .recoverWithItem(e -> {
                            entry.getValue()
                                    .forEach(i -> answers[i] = refused(i, heartbeats.get(i), (ProblemException) e));
                            return null;
                        })
                        .replaceWithVoid())
                .toList();
        Uni<Void> checked = checks.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(checks).andFailFast().replaceWithVoid();
        return checked.flatMap(ignored -> {
            List<Integer> positions = new ArrayList<>();
            List<HeartbeatBatch.Item> items = new ArrayList<>();
            for (int i = 0; i < heartbeats.size(); i++) {
                LessonMeta lesson =
                        answers[i] == null ? allowed.get(heartbeats.get(i).lessonId()) : null;
                if (lesson != null) {
                    try {
                        HeartbeatChecks.position(heartbeats.get(i), lesson, "[" + i + "].");
                    } catch (ProblemException e) {
                        answers[i] = refused(i, heartbeats.get(i), e);
                        continue;
                    }
                    positions.add(i);
                    items.add(new HeartbeatBatch.Item(heartbeats.get(i), lesson));
                }
            }
            Uni<List<HeartbeatBatch.Outcome>> committed = items.isEmpty()
                    ? Uni.createFrom().item(List.of())
                    : committer.submit(new HeartbeatBatch.Submission(learnerId, deviceId, now, true, items));
            return committed.map(outcomes -> {
                for (int k = 0; k < outcomes.size(); k++) {
                    int i = positions.get(k);
                    HeartbeatBatch.Outcome o = outcomes.get(k);
                    answers[i] = o.problem() != null
                            ? refused(i, heartbeats.get(i), o.problem())
                            : new ReplayAnswer(i, heartbeats.get(i).seq(), 200, o.result(), null);
                    if (o.problem() == null) {
                        count(o.result().duplicate() ? "repeat" : "accepted", "");
                    }
                }
                return List.of(answers);
            });
        });
    }

    /** The lesson when the learner may study it now: 404 when it is not theirs, 409 when their wave is closed. */
    private Uni<LessonMeta> allowed(long learnerId, long lessonId, Instant now) {
        return catalog.lesson(lessonId)
                .flatMap(lesson -> access.check(learnerId, lesson.courseId(), lessonId, now)
                        .replaceWith(lesson));
    }

    private ReplayAnswer refused(int index, Heartbeat h, ProblemException e) {
        count("rejected", e.slug());
        return new ReplayAnswer(index, h == null ? null : h.seq(), e.status(), null, e.toProblem());
    }

    private void count(String outcome, String reason) {
        counter(outcome, reason).increment();
    }

    private Counter counter(String outcome, String reason) {
        return counters.computeIfAbsent(
                outcome + "/" + reason,
                k -> Counter.builder("phocap.heartbeats")
                        .description("Heartbeats by outcome; rejected ones by reason")
                        .tag("outcome", outcome)
                        .tag("reason", reason.isEmpty() ? "none" : reason)
                        .register(metrics));
    }

    /** A learner's state on every lesson of a course's newest version, in outline order. */
    public Uni<CourseProgress> progress(long learnerId, long courseId) {
        return access.enrolments(learnerId).flatMap(enrolments -> {
            if (enrolments.stream().noneMatch(e -> e.courseIds().contains(courseId))) {
                throw ProblemException.notFound("No course " + courseId + " for you.");
            }
            return catalog.ofCourse(courseId).flatMap(lessons -> progressOn(learnerId, courseId, lessons));
        });
    }

    /**
     * The same for callers that hold the course's outline and have checked visibility (streams,
     * course lists): the lessons come from the cached outline instead of another query.
     */
    public Uni<CourseProgress> courseProgress(long learnerId, CourseView course) {
        List<LessonMeta> lessons = new ArrayList<>();
        course.modules()
                .forEach(m -> m.lessons()
                        .forEach(l -> lessons.add(
                                new LessonMeta(l.id(), course.id(), l.kind(), l.durationSec(), l.minCoverage()))));
        return progressOn(learnerId, course.id(), lessons);
    }

    private Uni<CourseProgress> progressOn(long learnerId, long courseId, List<LessonMeta> lessons) {
        Map<Long, LessonMeta> byId = new LinkedHashMap<>();
        lessons.forEach(l -> byId.put(l.lessonId(), l));
        return (byId.isEmpty() ? Uni.createFrom().item(Map.<Long, ProgressState>of()) : store.states(learnerId, byId))
                .flatMap(states -> store.courseCompleted(learnerId, courseId).map(completedAt -> {
                    List<CourseProgress.LessonProgress> rows = new ArrayList<>();
                    for (LessonMeta lesson : lessons) {
                        ProgressState s = states.getOrDefault(lesson.lessonId(), new ProgressState(learnerId, lesson));
                        rows.add(CourseProgress.LessonProgress.of(s));
                    }
                    return CourseProgress.of(courseId, rows, completedAt);
                }));
    }
}
