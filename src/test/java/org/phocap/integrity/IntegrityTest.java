package org.phocap.integrity;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phocap.certificate.CertificateCourse;
import org.phocap.certificate.CertificateCourse.Learner;
import org.phocap.platform.Api;
import org.phocap.platform.InApp;
import org.phocap.platform.InProcessOnly;
import org.phocap.platform.PostgresResource;
import org.phocap.platform.TestClock;
import org.phocap.platform.TestDatabase;

/**
 * The integrity signals at the edge of each threshold, the certificate policy (held, issued on
 * clearing, kept on confirming), the minimum observed study time, reviews and their audit, and
 * the flags in reports, over HTTP. The course: one 60-s reading lesson that needs half of it (so
 * 30 s required, 15 s of it observed) and two quizzes.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class IntegrityTest {
    /** Default policy. */
    static final CertificateCourse COURSE = new CertificateCourse("IG", 84);
    /** FAST_QUIZ set to HOLD_FLAGGED (every test pass here is fast). */
    static final CertificateCourse HOLDING = new CertificateCourse("IH", 85);

    static final ZoneId ZONE = ZoneId.of("Asia/Ho_Chi_Minh");

    final TestClock clock = InApp.bean(TestClock.class);

    final Pool pool = InApp.bean(Pool.class);

    @BeforeEach
    void setUp() {
        if (clock != null) { // null where an *IT runs this against the packaged jar (real time there)
            clock.release();
        }
        COURSE.ready();
    }

    @AfterEach
    void realTime() {
        if (clock != null) { // null where an *IT runs this against the packaged jar (real time there)
            clock.release();
        }
    }

    // ---- the minimum observed study time ----

    @Test
    void aFabricatedReplayRightAfterActivationCompletesNothingAndIsFlagged() {
        Learner l = COURSE.learner("Nguyễn Giả Mạo");
        Instant now = Instant.now();
        // The whole lesson, invented: sentAt values 10 s apart, sent at once, before the server ever heard of the
        // learner.
        JsonPath answers = replay(l, "dev-" + l.id(), "forged", now.minusSeconds(70), 10, 8)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(true, answers.getBoolean("[7].result.completed"), "the lesson's own rule is met on paper");
        COURSE.pass(l, COURSE.quizA);
        COURSE.pass(l, COURSE.quizB);

        Map<String, Object> flag = awaitFlag(COURSE.campaign, l.id(), "IMPLAUSIBLE_PACE", "course-" + COURSE.course);
        assertEquals("HIGH", flag.get("severity"));
        Map<String, Object> course = evidence(flag, "course-" + COURSE.course);
        assertEquals(0, ((Number) course.get("observedSec")).intValue());
        assertEquals(15, ((Number) course.get("minObservedSec")).intValue());
        Map<String, Object> lesson = evidence(flag, "lesson-" + COURSE.lessonId);
        assertEquals(true, lesson.get("replay"));
        // No completion, no certificate, not even a held one.
        as(l.token())
                .get("/api/v1/me/progress?courseId=" + COURSE.course)
                .then()
                .statusCode(200)
                .body("completedAt", nullValue());
        assertEquals(
                List.of(),
                as(l.token())
                        .get("/api/v1/me/certificates")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("$"));
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void aReplayCompletesTheCourseOnlyAsFarAsTheServerSawTimePass() {
        Instant t0 = Instant.now();
        Learner below = COURSE.learner("Trần Thiếu Giây");
        Learner at = COURSE.learner("Lê Đủ Giờ");
        studyOfflineAfter(below, t0, 14); // 14 s observed of the 15 s needed
        studyOfflineAfter(at, t0, 15); // exactly 15 s
        clock.release();
        for (Learner l : List.of(below, at)) {
            COURSE.pass(l, COURSE.quizA);
            COURSE.pass(l, COURSE.quizB);
        }
        List<Map<String, Object>> issued = CertificateCourse.certificates(at, 1);
        assertEquals("ISSUED", issued.get(0).get("status"));
        assertNotNull(issued.get(0).get("serial"));
        Map<String, Object> flag =
                awaitFlag(COURSE.campaign, below.id(), "IMPLAUSIBLE_PACE", "course-" + COURSE.course);
        assertEquals(14, ((Number) evidence(flag, "course-" + COURSE.course).get("observedSec")).intValue());
        assertEquals(
                List.of(),
                as(below.token())
                        .get("/api/v1/me/certificates")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("$"));
        assertTrue(
                flags(COURSE.campaign, at.id(), "IMPLAUSIBLE_PACE").isEmpty(), "at the threshold is not implausible");
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void aClearedFlagWhoseCertificateWasNotIssuedIsIssuedWhenTheLearnerLooks() {
        Learner l = COURSE.learner("Ngô Chờ Lâu");
        completeWithAReplayedLesson(l);
        assertEquals("UNDER_REVIEW", CertificateCourse.certificates(l, 1).get(0).get("status"));
        Map<String, Object> flag = awaitFlag(COURSE.campaign, l.id(), "IMPLAUSIBLE_PACE", "lesson-" + COURSE.lessonId);
        // The review was stored, but the instance died before the certificate was issued.
        pool.preparedQuery("UPDATE integrity_flag SET status = 'CLEARED', reviewed_at = now() WHERE id = $1")
                .execute(Tuple.of(((Number) flag.get("id")).longValue()))
                .await()
                .indefinitely();
        Map<String, Object> issued = as(l.token())
                .get("/api/v1/me/certificates")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("[0]");
        assertEquals("ISSUED", issued.get("status"));
        assertNotNull(issued.get("serial"));
    }

    /**
     * A lesson replayed with no server time behind it (completed, and an IMPLAUSIBLE_PACE sign), then
     * studied again while the server watches (enough observed time), then both quizzes: the course is
     * completed and, under the default policy, its certificate held.
     */
    private void completeWithAReplayedLesson(Learner l) {
        Instant t0 = Instant.now();
        clock.set(t0);
        heartbeat(l, "dev-" + l.id(), "live-" + l.id(), 1, false).then().statusCode(200);
        replay(l, "dev-" + l.id(), "forged-" + l.id(), t0.minusSeconds(70), 10, 8)
                .then()
                .statusCode(200);
        clock.set(t0.plusSeconds(1));
        heartbeat(l, "dev-" + l.id(), "real-" + l.id(), 1, true).then().statusCode(200);
        clock.set(t0.plusSeconds(31));
        heartbeat(l, "dev-" + l.id(), "real-" + l.id(), 2, true).then().statusCode(200);
        clock.release();
        COURSE.pass(l, COURSE.quizA);
        COURSE.pass(l, COURSE.quizB);
    }

    /** A paused live heartbeat at t0 (the server hears of the learner), then the whole lesson replayed {@code after} s later. */
    private void studyOfflineAfter(Learner l, Instant t0, int after) {
        clock.set(t0);
        heartbeat(l, "dev-" + l.id(), "live-" + l.id(), 1, false).then().statusCode(200);
        clock.set(t0.plusSeconds(after));
        replay(l, "dev-" + l.id(), "offline-" + l.id(), t0.minusSeconds(60), 10, 7)
                .then()
                .statusCode(200)
                .body("[6].result.completed", equalTo(true));
    }

    // ---- the certificate policy ----

    @Test
    @InProcessOnly("reads the database through the application's pool")
    void theDefaultPolicyHoldsForImplausiblePaceUntilASupporterClearsIt() {
        Learner l = COURSE.learner("Phạm Chờ Xét");
        completeWithAReplayedLesson(l);

        Map<String, Object> held = CertificateCourse.certificates(l, 1).get(0);
        assertEquals("UNDER_REVIEW", held.get("status"));
        assertNull(held.get("serial"));
        assertEquals("/api/v1/me/support", held.get("supportUrl"));
        assertTrue(((String) held.get("notice")).contains("review"));
        as(l.token())
                .get("/api/v1/me/progress?courseId=" + COURSE.course)
                .then()
                .statusCode(200)
                .body("completedAt", org.hamcrest.Matchers.notNullValue());

        Map<String, Object> flag = awaitFlag(COURSE.campaign, l.id(), "IMPLAUSIBLE_PACE", "lesson-" + COURSE.lessonId);
        String supporter = Api.supporter("integrity-ig1", "IG1");
        as(supporter)
                .contentType(ContentType.JSON)
                .body(Map.of("decision", "CLEARED", "note", "Bà học cùng cháu, đã gọi điện xác nhận"))
                .post("/api/v1/integrity-flags/" + flag.get("id") + "/review")
                .then()
                .statusCode(200)
                .body("status", equalTo("CLEARED"))
                .body("reviewedBy", equalTo("integrity-ig1"))
                .body("reviewNote", equalTo("Bà học cùng cháu, đã gọi điện xác nhận"));
        Map<String, Object> issued = as(l.token())
                .get("/api/v1/me/certificates")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("[0]");
        assertEquals("ISSUED", issued.get("status"));
        assertNotNull(issued.get("serial"));
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void aCampaignThatHoldsFastQuizzesIssuesOnClearingAndNotOnConfirming() {
        HOLDING.ready();
        String path = "/api/v1/campaigns/" + HOLDING.campaign + "/certificate-policy";
        as(admin())
                .get(path)
                .then()
                .statusCode(200)
                .body("IMPLAUSIBLE_PACE", equalTo("HOLD_FLAGGED"))
                .body("FAST_QUIZ", equalTo("ISSUE"))
                .body("SHARED_DEVICE", equalTo("ISSUE"));
        as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of("FAST_QUIZ", "HOLD"))
                .put(path)
                .then()
                .statusCode(400);
        as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of("FAST_QUIS", "ISSUE"))
                .put(path)
                .then()
                .statusCode(400);
        as(admin())
                .contentType(ContentType.JSON)
                .body("{\"FAST_QUIZ\": true}")
                .put(path)
                .then()
                .statusCode(400);
        as(Api.supporter("integrity-ih1", "IH1"))
                .contentType(ContentType.JSON)
                .body(Map.of("FAST_QUIZ", "HOLD_FLAGGED"))
                .put(path)
                .then()
                .statusCode(403);
        as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of("FAST_QUIZ", "HOLD_FLAGGED"))
                .put(path)
                .then()
                .statusCode(200)
                .body("FAST_QUIZ", equalTo("HOLD_FLAGGED"))
                .body("IMPLAUSIBLE_PACE", equalTo("HOLD_FLAGGED"));

        Learner cleared = HOLDING.learner("Võ Được Xóa");
        Learner confirmed = HOLDING.learner("Đỗ Bị Xác Nhận");
        for (Learner l : List.of(cleared, confirmed)) {
            HOLDING.complete(l, clock);
            assertEquals(
                    "UNDER_REVIEW", CertificateCourse.certificates(l, 1).get(0).get("status"));
        }
        String supporter = Api.supporter("integrity-ih1", "IH1");
        String outsider = Api.supporter("integrity-ih2", "IH2");
        Map<String, Object> clearedFlag =
                flags(HOLDING.campaign, cleared.id(), "FAST_QUIZ").get(0);
        Map<String, Object> confirmedFlag =
                flags(HOLDING.campaign, confirmed.id(), "FAST_QUIZ").get(0);
        String review = "/api/v1/integrity-flags/" + clearedFlag.get("id") + "/review";
        as(outsider)
                .contentType(ContentType.JSON)
                .body(Map.of("decision", "CLEARED"))
                .post(review)
                .then()
                .statusCode(404);
        as(supporter)
                .contentType(ContentType.JSON)
                .body(Map.of("decision", "cleared"))
                .post(review)
                .then()
                .statusCode(400);
        as(supporter)
                .contentType(ContentType.JSON)
                .body(Map.of("decision", "CLEARED", "note", "x".repeat(1001)))
                .post(review)
                .then()
                .statusCode(400);
        as(supporter)
                .contentType(ContentType.JSON)
                .body("{\"decision\": \"CLEARED\", \"note\": 5}")
                .post(review)
                .then()
                .statusCode(400);
        as(supporter).contentType(ContentType.JSON).post(review).then().statusCode(400);
        assertEquals(
                "OPEN",
                flags(HOLDING.campaign, cleared.id(), "FAST_QUIZ").get(0).get("status"),
                "refusals changed nothing");

        as(supporter)
                .contentType(ContentType.JSON)
                .body(Map.of("decision", "CLEARED"))
                .post(review)
                .then()
                .statusCode(200);
        as(supporter)
                .contentType(ContentType.JSON)
                .body(Map.of("decision", "CONFIRMED", "note", "Người khác làm bài"))
                .post("/api/v1/integrity-flags/" + confirmedFlag.get("id") + "/review")
                .then()
                .statusCode(200)
                .body("status", equalTo("CONFIRMED"));

        Map<String, Object> issued = as(cleared.token())
                .get("/api/v1/me/certificates")
                .then()
                .extract()
                .jsonPath()
                .getMap("[0]");
        assertEquals("ISSUED", issued.get("status"));
        assertNotNull(issued.get("serial"));
        Map<String, Object> stillHeld = as(confirmed.token())
                .get("/api/v1/me/certificates")
                .then()
                .extract()
                .jsonPath()
                .getMap("[0]");
        assertEquals("UNDER_REVIEW", stillHeld.get("status"));

        // Who reviewed what, when: in the audit log, for ADMINs.
        JsonPath audit = as(admin())
                .get("/api/v1/audit?learnerId=" + confirmed.id())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        int i = audit.getList("items.action").indexOf("integrity-flag-reviewed");
        assertTrue(i >= 0, "the review is audited");
        assertEquals("integrity-ih1", audit.getString("items[" + i + "].staffUsername"));
        assertEquals("CONFIRMED", audit.getString("items[" + i + "].detail.decision"));
        assertNotNull(audit.getString("items[" + i + "].at"));
        assertTrue(as(admin())
                .get("/api/v1/audit?campaignId=" + HOLDING.campaign)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.action")
                .contains("certificate-policy-set"));
    }

    // ---- device signals ----

    @Test
    @InProcessOnly("sets the application's clock")
    void threeLearnersOnOneDeviceInADayAreSharedTwoAreNot() {
        List<Learner> three =
                List.of(COURSE.learner("Một Máy A"), COURSE.learner("Một Máy B"), COURSE.learner("Một Máy C"));
        List<Learner> two = List.of(COURSE.learner("Hai Người A"), COURSE.learner("Hai Người B"));
        String device = "family-phone-" + three.get(0).id();
        String other = "couple-phone-" + two.get(0).id();
        for (Learner l : two) {
            heartbeat(l, other, "s-" + l.id(), 1, false).then().statusCode(200);
        }
        for (Learner l : three) {
            heartbeat(l, device, "s-" + l.id(), 1, false).then().statusCode(200);
        }
        for (Learner l : three) {
            Map<String, Object> flag = awaitFlag(COURSE.campaign, l.id(), "SHARED_DEVICE", null);
            assertEquals("MEDIUM", flag.get("severity"));
            Map<?, ?> evidence = (Map<?, ?>)
                    ((Map<?, ?>) flag.get("evidence")).values().iterator().next();
            assertEquals(3, ((Number) evidence.get("learners")).intValue());
            assertFalse(evidence.toString().contains(device), "the device is named by a digest, not its id");
        }
        awaitDeviceRows(other, 2);
        for (Learner l : two) {
            assertTrue(
                    flags(COURSE.campaign, l.id(), "SHARED_DEVICE").isEmpty(),
                    "two learners on a phone are not flagged");
        }
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void threeConcurrentSessionRefusalsInADayFlagTwoDoNot() {
        Learner l = COURSE.learner("Hai Điện Thoại");
        heartbeat(l, "phone-1-" + l.id(), "a-" + l.id(), 1, true).then().statusCode(200);
        for (int i = 1; i <= 2; i++) {
            heartbeat(l, "phone-2-" + l.id(), "b-" + l.id(), i, true)
                    .then()
                    .statusCode(409)
                    .body("type", org.hamcrest.Matchers.endsWith("concurrent-session"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sum("refusals", l.id()) == 2);
        assertTrue(flags(COURSE.campaign, l.id(), "CONCURRENT_DEVICES").isEmpty(), "two refusals are not a sign");
        heartbeat(l, "phone-2-" + l.id(), "b-" + l.id(), 3, true).then().statusCode(409);
        Map<String, Object> flag = awaitFlag(COURSE.campaign, l.id(), "CONCURRENT_DEVICES", null);
        Map<?, ?> evidence = (Map<?, ?>)
                ((Map<?, ?>) flag.get("evidence")).values().iterator().next();
        assertEquals(3, ((Number) evidence.get("refusals")).intValue());
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void threeDeviceSwitchesInADayFlagTwoDoNot() {
        Learner l = COURSE.learner("Đổi Máy Liên Tục");
        Instant t0 = middayish();
        String[] devices = {"tablet-" + l.id(), "phone-" + l.id()};
        for (int i = 0; i < 3; i++) {
            // Each device after the other has been quiet for more than a minute: allowed, and a switch (after the
            // first).
            clock.set(t0.plusSeconds(61L * i));
            heartbeat(l, devices[i % 2], "s" + i + "-" + l.id(), 1, false)
                    .then()
                    .statusCode(200);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sum("switches", l.id()) == 2);
        assertTrue(flags(COURSE.campaign, l.id(), "CONCURRENT_DEVICES").isEmpty(), "two switches are not a sign");
        clock.set(t0.plusSeconds(61L * 3));
        heartbeat(l, devices[1], "s3-" + l.id(), 1, false).then().statusCode(200);
        Map<String, Object> flag = awaitFlag(COURSE.campaign, l.id(), "CONCURRENT_DEVICES", null);
        Map<?, ?> evidence = (Map<?, ?>)
                ((Map<?, ?>) flag.get("evidence")).values().iterator().next();
        assertEquals(3, ((Number) evidence.get("switches")).intValue());
        assertEquals(2, ((Number) evidence.get("devices")).intValue());
    }

    // ---- more than 10 hours in a day ----

    @Test
    @InProcessOnly("sets the application's clock")
    void tenHoursOfCreditInADayIsTheLimitOneSecondMoreIsASign() {
        Learner l = COURSE.learner("Học Suốt Ngày");
        Instant now = middayish();
        clock.set(now);
        String device = "dev-" + l.id();
        Instant start = now.minus(Duration.ofHours(11));
        // Three sessions replayed (each new session's first heartbeat credits nothing): 499 + 101 minutes = 10 h.
        replay(l, device, "d1", start, 60, 500).then().statusCode(200);
        replay(l, device, "d2", start.plusSeconds(30_000), 60, 102).then().statusCode(200);
        String today = LocalDate.ofInstant(now, ZONE).toString();
        Map<String, Object> lessonFlag =
                awaitFlag(COURSE.campaign, l.id(), "IMPLAUSIBLE_PACE", "lesson-" + COURSE.lessonId);
        assertFalse(
                ((Map<?, ?>) lessonFlag.get("evidence")).containsKey("day-" + today), "exactly 10 h is not beyond it");
        replay(l, device, "d3", start.plusSeconds(37_000), 1, 2).then().statusCode(200);
        Map<String, Object> flag = awaitFlag(COURSE.campaign, l.id(), "IMPLAUSIBLE_PACE", "day-" + today);
        assertEquals(36_001, ((Number) evidence(flag, "day-" + today).get("creditedSec")).intValue());
    }

    // ---- lists, CSV, reports ----

    @Test
    @InProcessOnly("sets the application's clock")
    void flagsComeAsCsvAndCountInTheReportAndLeaderboard() {
        Learner l = COURSE.learner("Vào Báo Cáo");
        replay(l, "dev-" + l.id(), "forged", Instant.now().minusSeconds(70), 10, 8)
                .then()
                .statusCode(200);
        awaitFlag(COURSE.campaign, l.id(), "IMPLAUSIBLE_PACE", "lesson-" + COURSE.lessonId);

        Response csv = as(admin())
                .accept("text/csv")
                .get("/api/v1/campaigns/" + COURSE.campaign + "/integrity-flags?kind=IMPLAUSIBLE_PACE");
        csv.then().statusCode(200).contentType("text/csv;charset=UTF-8");
        List<String> lines = csv.asString().lines().toList();
        assertEquals(IntegrityFlags.CSV_HEADER.strip(), lines.get(0));
        assertTrue(
                lines.stream()
                        .anyMatch(line -> line.contains("," + l.id() + ",Vào Báo Cáo,") && line.contains("lesson-")),
                "the learner's flag is a row, its evidence JSON");
        as(admin())
                .accept("text/csv")
                .get("/api/v1/campaigns/" + COURSE.campaign + "/integrity-flags?status=open")
                .then()
                .statusCode(400);

        JsonPath open = as(admin())
                .get("/api/v1/campaigns/" + COURSE.campaign + "/integrity-flags?status=OPEN&size=1")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        JsonPath report = as(admin())
                .get("/api/v1/campaigns/" + COURSE.campaign + "/report?level=1")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(open.getLong("total"), report.getLong("openFlags"), "the report's open flags are the list's");
        assertTrue(report.getLong("rows.find { it.key == 'IG1' }.openFlags") >= 1);
        JsonPath board = as(admin())
                .get("/api/v1/campaigns/" + COURSE.campaign + "/leaderboard?level=1")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        Map<String, Object> row = board.getMap("rows.find { it.key == 'IG1' }");
        double withFlagged = ((Number) row.get("completionRate")).doubleValue();
        double without = ((Number) row.get("completionRateUnflagged")).doubleValue();
        assertTrue(without <= withFlagged, "flagged completions only ever lower the rate without them");
        assertEquals(
                report.getLong("rows.find { it.key == 'IG1' }.openFlags"), ((Number) row.get("openFlags")).longValue());
    }

    // ---- helpers ----

    /** A live heartbeat sent at the test clock's time. */
    private Response heartbeat(Learner l, String device, String session, long seq, boolean playing) {
        return as(l.token())
                .header("X-Device-Id", device)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "lessonId",
                        COURSE.lessonId,
                        "sessionId",
                        session,
                        "seq",
                        seq,
                        "positionSec",
                        0,
                        "playing",
                        playing,
                        "sentAt",
                        clock.instant().toString()))
                .post("/api/v1/me/heartbeats");
    }

    /** {@code count} playing heartbeats of one session, {@code stepSec} apart from {@code from}, as one offline replay. */
    private static Response replay(Learner l, String device, String session, Instant from, int stepSec, int count) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(Map.of(
                    "lessonId",
                    COURSE.lessonId,
                    "sessionId",
                    session,
                    "seq",
                    i + 1,
                    "positionSec",
                    0,
                    "playing",
                    true,
                    "sentAt",
                    from.plusSeconds((long) stepSec * i).toString()));
        }
        return as(l.token())
                .header("X-Device-Id", device)
                .contentType(ContentType.JSON)
                .body(items)
                .post("/api/v1/me/heartbeats:batch");
    }

    static List<Map<String, Object>> flags(long campaign, long learner, String kind) {
        List<Map<String, Object>> all = as(admin())
                .get("/api/v1/campaigns/" + campaign + "/integrity-flags?kind=" + kind + "&size=500")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
        return all.stream()
                .filter(f -> ((Number) f.get("learnerId")).longValue() == learner)
                .toList();
    }

    /** The learner's flag of the kind, once it is stored (with evidence for {@code reason}, when given). */
    static Map<String, Object> awaitFlag(long campaign, long learner, String kind, String reason) {
        List<Map<String, Object>> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    found.clear();
                    found.addAll(flags(campaign, learner, kind));
                    return !found.isEmpty()
                            && (reason == null || ((Map<?, ?>) found.get(0).get("evidence")).containsKey(reason));
                });
        return found.get(0);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> evidence(Map<String, Object> flag, String reason) {
        return (Map<String, Object>) ((Map<String, Object>) flag.get("evidence")).get(reason);
    }

    private long sum(String column, long learner) {
        return TestDatabase.first(
                        pool, "SELECT coalesce(sum(" + column + "), 0) FROM device_use WHERE learner_id = $1", learner)
                .getLong(0);
    }

    private void awaitDeviceRows(String device, int rows) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> pool.preparedQuery("SELECT count(*) FROM device_use WHERE device_id = $1")
                                .execute(Tuple.of(device))
                                .await()
                                .indefinitely()
                                .iterator()
                                .next()
                                .getLong(0)
                        == rows);
    }

    /** Now, or earlier when the province's day is about to end: a test's study stays within one day. */
    private static Instant middayish() {
        Instant now = Instant.now();
        LocalTime local = LocalTime.ofInstant(now, ZONE);
        return local.isAfter(LocalTime.of(20, 0)) ? now.minus(Duration.ofHours(8)) : now;
    }
}
