package org.phocap.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phocap.course.CoursePackages;

/**
 * Two instances of the packaged service on different ports and one PostgreSQL behave as one:
 * events cross between them, the one-device rule holds across them, shared sweeps run once.
 */
class MultiInstanceIT {
    static final String P = "MI";
    static EmbeddedPostgres postgres;
    static AppProcess a;
    static AppProcess b;
    static long course;
    static long campaign;
    static long lesson;
    static String learner;

    @BeforeAll
    static void startTwoInstances() throws Exception {
        postgres = EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "100")
                .start();
        String url = "postgresql://localhost:" + postgres.getPort() + "/postgres";
        // Both start at once, as pods of one Deployment do: migrations must not trip over each other.
        Map<String, String> env = Map.of("PHOCAP_QUIZ_SWEEP_EVERY", "1s");
        a = AppProcess.start("instance-a", url, env);
        b = AppProcess.start("instance-b", url, env);
        a.awaitReady(Duration.ofSeconds(90));
        b.awaitReady(Duration.ofSeconds(90));
        Api.forgetAdmin();
        RestAssured.port = a.port();
        Api.treeOnce(P);
        course = CoursePackages.publish("MULTI-INSTANCE");
        lesson = as(admin())
                .get("/api/v1/courses/" + course)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("modules[0].lessons.find { it.code == 'L2' }.id");
        campaign = as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "Hai máy chủ",
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
        learner = Api.enrolledLearner(P, campaign, Api.phone(90, 1));
        Api.assign(
                campaign,
                wave,
                List.of(as(learner)
                        .get("/api/v1/me")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getLong("id")));
    }

    @AfterAll
    static void stop() throws Exception {
        RestAssured.reset();
        Api.forgetAdmin();
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void anAnnouncementPostedThroughAReachesAStreamHeldOnB() throws Exception {
        try (SseReader onB = SseReader.open(b.base(), "api/v1/me/courses/" + course + "/stream", learner, null)) {
            onB.untilReady();
            JsonPath sent = as(admin())
                    .contentType(ContentType.JSON)
                    .body(Map.of("campaignId", campaign, "text", "Máy chủ A gửi: lịch học tuần này"))
                    .post("/api/v1/announcements")
                    .then()
                    .statusCode(201)
                    .extract()
                    .jsonPath();
            SseReader.Event event = onB.next();
            assertEquals("announcement", event.name());
            assertTrue(event.data().contains("Máy chủ A gửi: lịch học tuần này"), event.data());
            assertTrue(event.data().contains("\"announcementId\":" + sent.getLong("id")), event.data());
            // A course broadcast through A arrives too, after it, with a larger id.
            long broadcast = as(admin())
                    .contentType(ContentType.JSON)
                    .body(Map.of("text", "Phát thanh qua A"))
                    .post("/api/v1/courses/" + course + "/broadcast")
                    .then()
                    .statusCode(202)
                    .extract()
                    .jsonPath()
                    .getLong("eventId");
            SseReader.Event next = onB.next();
            assertEquals(String.valueOf(broadcast), next.id());
        }
    }

    @Test
    void aSecondDeviceThroughBIsRefusedWhileTheFirstStudiesThroughA() {
        Instant now = Instant.now();
        heartbeat(a, "phone-1", "s-1", 1, now).then().statusCode(200);
        heartbeat(b, "tablet-2", "s-2", 1, now)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("/concurrent-session"));
        // The first device may go on through either instance.
        heartbeat(b, "phone-1", "s-1", 2, now.plusSeconds(1)).then().statusCode(200);
        heartbeat(a, "tablet-2", "s-2", 2, now.plusSeconds(1)).then().statusCode(409);
    }

    private io.restassured.response.Response heartbeat(
            AppProcess instance, String device, String session, long seq, Instant sentAt) {
        return given().port(instance.port())
                .header("Authorization", "Bearer " + learner)
                .header("X-Device-Id", device)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "lessonId",
                        lesson,
                        "sessionId",
                        session,
                        "seq",
                        seq,
                        "positionSec",
                        0.0,
                        "playing",
                        false,
                        "sentAt",
                        sentAt.toString()))
                .post("/api/v1/me/heartbeats");
    }

    @Test
    void aSharedSweepRunsOncePerPeriodThoughBothInstancesFireIt() throws Exception {
        // Both fire quiz-expiry-sweep every second; each second's run belongs to one of them.
        double[] before = {fired(a, "ran"), fired(b, "ran"), fired(a, "skipped"), fired(b, "skipped")};
        long runsBefore = storedRuns();
        Thread.sleep(6000);
        double ranA = fired(a, "ran") - before[0];
        double ranB = fired(b, "ran") - before[1];
        double skipped = fired(a, "skipped") - before[2] + fired(b, "skipped") - before[3];
        long runs = storedRuns() - runsBefore;
        assertTrue(ranA + ranB + skipped >= 10, "both instances fired the job: " + (ranA + ranB + skipped));
        assertTrue(runs <= 8, "at most one run per second over 6 s, not one per instance: " + runs);
        assertTrue(runs >= 4, "the job kept running: " + runs);
        assertTrue(skipped >= 4, "the instance that lost a period skipped it: " + skipped);
        // A metric sample can be taken a moment before or after the stored count.
        assertTrue(Math.abs(ranA + ranB - runs) <= 2, ranA + " + " + ranB + " vs " + runs);
    }

    private static double fired(AppProcess instance, String outcome) {
        String metrics = given().port(instance.managementPort())
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        Matcher m = Pattern.compile("phocap_scheduled_jobs_total\\{[^}]*job=\"quiz-expiry-sweep\"[^}]*outcome=\""
                        + outcome + "\"[^}]*} ([0-9.E]+)")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static long storedRuns() throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT runs FROM scheduled_job WHERE name = 'quiz-expiry-sweep'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
