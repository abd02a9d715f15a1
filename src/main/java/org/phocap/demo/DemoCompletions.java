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
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.phocap.auth.PasswordHasher;
import org.phocap.certificate.CourseCompletion;
import org.phocap.progress.ProgressStore;
import org.phocap.quiz.QuizService;
import org.phocap.roster.LearnerService;

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
    private final LearnerService learnerService;
    private final ProgressStore progress;
    private final QuizService quizzes;

    public DemoCompletions(
            Pool pool,
            CourseCompletion completion,
            Clock clock,
            PasswordHasher hasher,
            LearnerService learnerService,
            ProgressStore progress,
            QuizService quizzes) {
        this.pool = pool;
        this.learnerService = learnerService;
        this.progress = progress;
        this.quizzes = quizzes;
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
                        SELECT learner_id FROM enrolment_view WHERE campaign_id = $1 AND wave_id = $2 ORDER BY learner_id DESC LIMIT $3""")
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
        learnerService.activateForDemo(ids, pinHash).await().indefinitely();
        // As if each had studied every lesson in full while the server watched (observed = credited):
        // completion needs observed study time (docs/integrity.md).
        pool.withTransaction(conn -> progress.recordStudiedInFull(conn, ids, courseId)
                        .chain(() -> quizzes.recordPassedForDemo(conn, ids, courseId)))
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
                .with(Collectors.counting())
                .await()
                .indefinitely();
        LOG.infof(
                "Demo mode: %d learners finished the course; %d certificates issued in %d ms",
                learners.size(), issued, (System.nanoTime() - started) / 1_000_000);
    }
}
