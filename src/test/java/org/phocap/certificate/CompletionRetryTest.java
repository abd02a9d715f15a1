package org.phocap.certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.phocap.platform.Management;
import org.phocap.platform.PostgresResource;
import org.phocap.platform.TestClock;
import org.phocap.platform.TestDatabase;

/**
 * A completion check that fails is not lost: the passing grade stored the need for it, and the
 * outbox retries it until the certificate exists, without the learner asking for anything.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class CompletionRetryTest {
    static final CertificateCourse COURSE = new CertificateCourse("CR", 75);

    @Inject
    Pool pool;

    @Inject
    TestClock clock;

    @Test
    void aFailedCompletionCheckIsRetriedUntilTheCertificateIsIssued() {
        COURSE.ready();
        CertificateCourse.Learner learner = COURSE.learner("Nguyễn Văn Thử Lại");
        COURSE.readLesson(learner, clock);
        COURSE.pass(learner, COURSE.quizA);
        double retriedBefore = retried();
        // The database refuses this learner's first completion (as a cancelled statement would):
        // the check that follows the final pass fails.
        sql("CREATE SEQUENCE completion_fault_" + learner.id());
        sql("""
                CREATE FUNCTION completion_fault_%1$d() RETURNS trigger LANGUAGE plpgsql AS $f$
                BEGIN
                    IF NEW.learner_id = %1$d AND nextval('completion_fault_%1$d') = 1 THEN
                        RAISE EXCEPTION 'injected failure' USING ERRCODE = '57014';
                    END IF;
                    RETURN NEW;
                END $f$""".formatted(learner.id()));
        sql(
                "CREATE TRIGGER completion_fault_%1$d BEFORE INSERT ON course_completion FOR EACH ROW EXECUTE FUNCTION completion_fault_%1$d()"
                        .formatted(learner.id()));
        try {
            COURSE.pass(learner, COURSE.quizB);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> count("SELECT count(*) FROM certificate WHERE learner_id = $1", learner.id()) == 1);
            assertTrue(
                    count("SELECT last_value FROM completion_fault_" + learner.id(), null) >= 2,
                    "the first check failed and a second one ran");
        } finally {
            sql("DROP TRIGGER completion_fault_%1$d ON course_completion".formatted(learner.id()));
            sql("DROP FUNCTION completion_fault_%1$d()".formatted(learner.id()));
            sql("DROP SEQUENCE completion_fault_" + learner.id());
        }
        assertEquals(1, count("SELECT count(*) FROM course_completion WHERE learner_id = $1", learner.id()));
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> count("SELECT count(*) FROM completion_check WHERE learner_id = $1", learner.id()) == 0);
        assertTrue(retried() > retriedBefore, "counted as a retry");
        assertEquals(
                1,
                as(learner.token())
                        .get("/api/v1/me/certificates")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("$")
                        .size());
    }

    private void sql(String statement) {
        pool.query(statement).execute().await().atMost(Duration.ofSeconds(10));
    }

    private long count(String query, Long id) {
        return (id == null ? TestDatabase.first(pool, query) : TestDatabase.first(pool, query, id)).getLong(0);
    }

    private static double retried() {
        String metrics = RestAssured.get(Management.url("/q/metrics"))
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return metrics.lines()
                .filter(l -> l.startsWith("phocap_completion_checks_total{outcome=\"retried\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
