package org.phocap.demo;

import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jboss.logging.Logger;
import org.phocap.auth.PasswordHasher;
import org.phocap.certificate.CourseCompletion;

/**
 * Demo learners who have already studied everything, so a newcomer finds certificates to fetch
 * and verify: their lessons are recorded as completed and each quiz as passed once (a short
 * stand-in attempt), then the real completion rule runs and issues their certificates. They are the
 * open wave's last learners (the first rows are the README's examples, who start from nothing), and
 * they have activated their accounts, as anyone who studied has: with a PIN nobody knows (a random
 * secret, hashed and forgotten), so the way in is the staff's account recovery, as for a learner who
 * forgot it. Reports and the not-activated call list count them as activated.
 */
@ApplicationScoped
public class DemoCompletions {
    private static final Logger LOG = Logger.getLogger(DemoCompletions.class);

    private final Pool pool;
    private final CourseCompletion completion;
    private final Clock clock;
    private final PasswordHasher hasher;

    public DemoCompletions(Pool pool, CourseCompletion completion, Clock clock, PasswordHasher hasher) {
        this.pool = pool;
        this.completion = completion;
        this.hasher = hasher;
        this.clock = clock;
    }

    /** The first {@code count} learners of the wave finish the course; blocks until their certificates are issued. */
    void finish(long campaignId, long waveId, long courseId, int count) {
        if (count <= 0) {
            return;
        }
        long started = System.nanoTime();
        List<Long> learners = new ArrayList<>();
        for (Row row : pool.preparedQuery("""
                        SELECT learner_id FROM enrolment WHERE campaign_id = $1 AND wave_id = $2 ORDER BY learner_id DESC LIMIT $3""")
                .execute(Tuple.of(campaignId, waveId, count))
                .await()
                .indefinitely()) {
            learners.add(row.getLong(0));
        }
        Long[] ids = learners.toArray(Long[]::new);
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String pinHash =
                hasher.hash(Base64.getEncoder().encodeToString(secret)).await().indefinitely();
        pool.preparedQuery("""
                        UPDATE learner SET activated_at = now(), pin_hash = $2, activation_code = NULL,
                            activation_code_expires_at = NULL, updated_at = now()
                        WHERE id = ANY($1)""").execute(Tuple.of(ids, pinHash)).await().indefinitely();
        // As if each had studied every lesson in full while the server watched (observed = credited):
        // completion needs observed study time (docs/integrity.md).
        pool.withTransaction(conn -> conn.preparedQuery("""
                                INSERT INTO lesson_progress (learner_id, lesson_id, course_id, credited_sec, covered_sec, completed_at,
                                    session_id, last_seq, device_id, last_server_at, last_sent_at, last_position, last_playing,
                                    observed_sec)
                                SELECT l.id, le.id, $2, le.duration_sec, le.duration_sec, now(), 'demo', 1, 'demo', now(), now(), 0, false,
                                       le.duration_sec
                                FROM unnest($1::bigint[]) AS l(id)
                                CROSS JOIN (SELECT id FROM course_version WHERE course_id = $2 ORDER BY version DESC LIMIT 1) v
                                JOIN course_version_lesson cvl ON cvl.version_id = v.id JOIN lesson le ON le.id = cvl.lesson_id
                                ON CONFLICT DO NOTHING""")
                        .execute(Tuple.of(ids, courseId))
                        .flatMap(done -> conn.preparedQuery("""
                                        INSERT INTO quiz_attempt (quiz_id, learner_id, number, paper, answer_key, answers, started_at,
                                            expires_at, submitted_at, graded_by, score, correct, total, passed, time_used_sec)
                                        SELECT cvq.quiz_id, l.id, 1, '{"questions":[]}', '{"key":{}}', '{}', now() - interval '10 minutes',
                                               now() + interval '1 hour', now() - interval '5 minutes', 'LEARNER', 100, 10, 10, true, 300
                                        FROM unnest($1::bigint[]) AS l(id)
                                        CROSS JOIN (SELECT id FROM course_version WHERE course_id = $2 ORDER BY version DESC LIMIT 1) v
                                        JOIN course_version_quiz cvq ON cvq.version_id = v.id
                                        ON CONFLICT DO NOTHING""").execute(Tuple.of(ids, courseId))))
                .await()
                .indefinitely();
        Instant now = clock.instant();
        long issued = Multi.createFrom()
                .iterable(learners)
                .onItem()
                .transformToUni(id -> completion.check(id, courseId, now))
                .merge(8)
                .filter(Boolean::booleanValue)
                .collect()
                .with(java.util.stream.Collectors.counting())
                .await()
                .indefinitely();
        LOG.infof(
                "Demo mode: %d learners finished the course; %d certificates issued in %d ms",
                learners.size(), issued, (System.nanoTime() - started) / 1_000_000);
    }
}
