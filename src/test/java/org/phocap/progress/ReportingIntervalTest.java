package org.phocap.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.phocap.platform.Api;
import org.phocap.platform.PostgresResource;
import org.phocap.platform.TestClock;

/**
 * A whole video played through completes it whatever the player's reporting interval, over real
 * HTTP: every 1, 2, 5, 15 and 60 s, with positions the player rounds and a last report past the end.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ReportingIntervalTest {
    static final String P = "RI";
    static final int DURATION = 150;

    @Inject
    TestClock clock;

    @AfterEach
    void realTime() {
        clock.release();
    }

    @Test
    void everyReportingIntervalReachesFullCoverage() {
        Api.treeOnce(P);
        long course = ProgressTest.publish("INTERVALS", List.of(ProgressTest.lesson("V150", "VIDEO", DURATION, 1.0)));
        long lesson = as(admin())
                .get("/api/v1/courses/" + course)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("modules[0].lessons[0].id");
        long campaign = as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "Nhịp báo",
                        "year",
                        2026,
                        "localityCode",
                        P,
                        "courseIds",
                        List.of(course),
                        "targetLearners",
                        10))
                .post("/api/v1/campaigns")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        long wave = Api.openWave(campaign);
        int n = 0;
        for (int every : new int[] {1, 2, 5, 15, 60}) {
            String token = Api.enrolledLearner(P, campaign, Api.phone(74, ++n));
            long id = as(token)
                    .get("/api/v1/me")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getLong("id");
            Api.assign(campaign, wave, List.of(id));
            JsonPath last = playThrough(token, lesson, every);
            assertTrue(last.getBoolean("completed"), "every " + every + " s: " + last.prettify());
            assertEquals(1.0, last.getDouble("coverage"), 1e-9, "every " + every + " s");
            assertEquals(DURATION, last.getInt("coveredSec"), "every " + every + " s");
            assertTrue(last.getDouble("creditedSec") <= DURATION + 1e-9, "credit stops at the end: " + last.prettify());
        }
    }

    /** Plays the video from 0 to its end, reporting every {@code every} s, then once more 3 s past the end. */
    JsonPath playThrough(String token, long lesson, int every) {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String session = "interval-" + every;
        JsonPath last = null;
        long seq = 0;
        for (int at = 0; ; at = Math.min(DURATION, at + every)) {
            last = beat(token, lesson, session, ++seq, t0, at, at);
            if (at == DURATION) {
                break;
            }
        }
        JsonPath after = beat(token, lesson, session, ++seq, t0, DURATION + 3, DURATION + 1);
        assertEquals(last.getDouble("creditedSec"), after.getDouble("creditedSec"), 1e-9, "nothing past the end");
        double coverage = after.getDouble("coverage");
        assertTrue(coverage <= 1.0, "coverage " + coverage);
        return after;
    }

    JsonPath beat(String token, long lesson, String session, long seq, Instant t0, int at, double position) {
        Instant now = t0.plus(Duration.ofSeconds(at));
        clock.set(now);
        return as(token)
                .header("X-Device-Id", "player")
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "lessonId",
                        lesson,
                        "sessionId",
                        session,
                        "seq",
                        seq,
                        "positionSec",
                        position,
                        "playing",
                        true,
                        "sentAt",
                        now.toString()))
                .post("/api/v1/me/heartbeats")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }
}
