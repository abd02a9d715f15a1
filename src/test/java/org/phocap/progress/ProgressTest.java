package org.phocap.progress;

import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phocap.platform.Api;
import org.phocap.platform.InApp;
import org.phocap.platform.InProcessOnly;
import org.phocap.platform.Management;
import org.phocap.platform.PostgresResource;
import org.phocap.platform.SseReader;
import org.phocap.platform.TestClock;

/** The credit rules end to end: real HTTP, real PostgreSQL, and a clock the test sets. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ProgressTest {
    static final String P = "PR";
    static final AtomicInteger PHONES = new AtomicInteger();
    static long course;
    static long otherCourse;
    static long campaign;
    static long wave;
    static Instant waveCloses;
    static Map<String, Long> lessons = new HashMap<>();

    final TestClock clock = InApp.bean(TestClock.class);

    @TestHTTPResource("/")
    URL base;

    Instant t0;

    record Learner(String token, long id) {}

    @BeforeEach
    void setUp() {
        t0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        if (clock != null) { // null where an *IT runs this against the packaged jar (real time there)
            clock.set(t0);
        }
        if (campaign != 0) {
            return;
        }
        Api.treeOnce(P);
        course = publish(
                "PROGRESS-COURSE",
                List.of(
                        lesson("LV", "VIDEO", 3600, 0.9),
                        lesson("LR", "READING", 120, 0.5),
                        lesson("LS", "VIDEO", 20, 0.9)));
        otherCourse = publish("PROGRESS-OTHER", List.of(lesson("OX", "READING", 60, 0.5)));
        JsonPath outline = as(admin())
                .get("/api/v1/courses/" + course)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        for (String code : List.of("LV", "LR", "LS")) {
            lessons.put(code, outline.getLong("modules[0].lessons.find { it.code == '" + code + "' }.id"));
        }
        lessons.put(
                "OX",
                as(admin())
                        .get("/api/v1/courses/" + otherCourse)
                        .then()
                        .extract()
                        .jsonPath()
                        .getLong("modules[0].lessons[0].id"));
        campaign = as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "Tiến độ",
                        "year",
                        2026,
                        "localityCode",
                        P,
                        "courseIds",
                        List.of(course),
                        "targetLearners",
                        100))
                .post("/api/v1/campaigns")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        waveCloses = t0.plus(Duration.ofDays(6));
        wave = as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "Đợt thử",
                        "opensAt",
                        t0.minus(Duration.ofDays(1)).toString(),
                        "closesAt",
                        waveCloses.toString(),
                        "capacity",
                        1000,
                        "graceMinutes",
                        30))
                .post("/api/v1/campaigns/" + campaign + "/waves")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    @AfterEach
    void realTime() {
        if (clock != null) { // null where an *IT runs this against the packaged jar (real time there)
            clock.release();
        }
    }

    static Map<String, Object> lesson(String code, String kind, int durationSec, double minCoverage) {
        Map<String, Object> lesson = new HashMap<>(Map.of(
                "code",
                code,
                "title",
                "Bài " + code,
                "kind",
                kind,
                "durationSec",
                durationSec,
                "completion",
                Map.of("minCoverage", minCoverage)));
        if (!"VIDEO".equals(kind)) {
            lesson.put("body", "Nội dung bài đọc " + code);
        }
        return lesson;
    }

    static long publish(String code, List<Map<String, Object>> lessons) {
        Map<String, Object> pkg = Map.of(
                "code",
                code,
                "title",
                "Khóa " + code,
                "language",
                "vi",
                "modules",
                List.of(Map.of("code", "M1", "title", "Mô-đun 1", "lessons", lessons)),
                "completion",
                Map.of("lessons", "ALL"));
        return as(admin())
                .contentType(ContentType.JSON)
                .body(pkg)
                .post("/api/v1/courses")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    /** A new learner of the campaign, activated and assigned to the open wave. */
    static Learner learner(boolean assigned) {
        String token = Api.enrolledLearner(P, campaign, Api.phone(70, PHONES.incrementAndGet()));
        long id = as(token)
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("id");
        if (assigned) {
            as(admin())
                    .contentType(ContentType.JSON)
                    .body(Map.of("learnerIds", List.of(id)))
                    .post("/api/v1/campaigns/" + campaign + "/waves/" + wave + "/learners")
                    .then()
                    .statusCode(200);
        }
        return new Learner(token, id);
    }

    static Map<String, Object> beat(
            long lessonId, String session, long seq, double position, boolean playing, Instant sentAt) {
        return Map.of(
                "lessonId",
                lessonId,
                "sessionId",
                session,
                "seq",
                seq,
                "positionSec",
                position,
                "playing",
                playing,
                "sentAt",
                sentAt.toString());
    }

    Response send(Learner learner, String device, Map<String, Object> beat) {
        return as(learner.token())
                .header("X-Device-Id", device)
                .contentType(ContentType.JSON)
                .body(beat)
                .post("/api/v1/me/heartbeats");
    }

    /** Sends a heartbeat at t0 + {@code at} seconds by both clocks and answers the result. */
    JsonPath at(
            Learner learner,
            String device,
            int at,
            String lesson,
            String session,
            long seq,
            double position,
            boolean playing) {
        clock.set(t0.plusSeconds(at));
        return send(learner, device, beat(lessons.get(lesson), session, seq, position, playing, t0.plusSeconds(at)))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    JsonPath progress(Learner learner) {
        return as(learner.token())
                .get("/api/v1/me/progress?courseId=" + course)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void normalPlayCreditsElapsedTimeAndCoversTheTimeline() {
        Learner l = learner(true);
        JsonPath first = at(l, "d1", 0, "LV", "s1", 1, 0, true);
        assertEquals(0.0, first.getDouble("creditedSec"));
        at(l, "d1", 10, "LV", "s1", 2, 10, true);
        JsonPath third = at(l, "d1", 20, "LV", "s1", 3, 20, true);
        assertEquals(20.0, third.getDouble("creditedSec"));
        assertEquals(10.0, third.getDouble("addedSec"));
        assertEquals(20, third.getInt("coveredSec"));
        assertEquals(false, third.getBoolean("completed"));
        JsonPath stored = progress(l);
        assertEquals(20.0, stored.getDouble("lessons.find { it.lessonId == " + lessons.get("LV") + " }.creditedSec"));
        assertEquals(3, stored.getInt("totalLessons"));
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void clientClockAndServerClockBothBoundTheCredit() {
        Learner l = learner(true);
        at(l, "d1", 0, "LV", "s1", 1, 0, true);
        // The client says 30 s passed, the server saw 10: the server's 10 (+2 s tolerance) wins.
        clock.set(t0.plusSeconds(10));
        JsonPath fast = send(l, "d1", beat(lessons.get("LV"), "s1", 2, 30, true, t0.plusSeconds(30)))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(0.0, fast.getDouble("addedSec"), "a 30 s advance in 12 s of server time is a seek");
        clock.set(t0.plusSeconds(20));
        JsonPath slow = send(l, "d1", beat(lessons.get("LV"), "s1", 3, 35, true, t0.plusSeconds(35)))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(5.0, slow.getDouble("addedSec"), "5 s of client time and position in 10 s of server time");
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void pausedVideoCreditsNothing() {
        Learner l = learner(true);
        at(l, "d1", 0, "LV", "s1", 1, 42, false);
        JsonPath paused = at(l, "d1", 15, "LV", "s1", 2, 42, false);
        assertEquals(0.0, paused.getDouble("creditedSec"));
        assertEquals(0, paused.getInt("coveredSec"));
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void seekingAheadCoversNothingAndRewatchingAddsNoCoverage() {
        Learner l = learner(true);
        at(l, "d1", 0, "LV", "s1", 1, 0, true);
        JsonPath seek = at(l, "d1", 10, "LV", "s1", 2, 600, true);
        assertEquals(0.0, seek.getDouble("creditedSec"));
        assertEquals(0, seek.getInt("coveredSec"));
        JsonPath after = at(l, "d1", 20, "LV", "s1", 3, 610, true);
        assertEquals(10, after.getInt("coveredSec"));
        // Back to 600 and play the same ten seconds again: time is credited, coverage stays.
        at(l, "d1", 25, "LV", "s1", 4, 600, true);
        JsonPath again = at(l, "d1", 35, "LV", "s1", 5, 610, true);
        assertEquals(10, again.getInt("coveredSec"));
        assertEquals(20.0, again.getDouble("creditedSec"));
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void aTenMinuteGapCreditsOneCappedInterval() {
        Learner l = learner(true);
        at(l, "d1", 0, "LR", "s1", 1, 0, true);
        JsonPath gap = at(l, "d1", 600, "LR", "s1", 2, 0, true);
        assertEquals(60.0, gap.getDouble("addedSec"));
        at(l, "d1", 1000, "LV", "v1", 1, 0, true);
        JsonPath video = at(l, "d1", 1600, "LV", "v1", 2, 600, true);
        assertEquals(60.0, video.getDouble("addedSec"));
        assertEquals(60, video.getInt("coveredSec"));
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void aRepeatedOrOlderSeqCreditsNothingAndAnswersTheState() {
        Learner l = learner(true);
        at(l, "d1", 0, "LV", "s1", 1, 0, true);
        at(l, "d1", 10, "LV", "s1", 2, 10, true);
        clock.set(t0.plusSeconds(20));
        Map<String, Object> retry = beat(lessons.get("LV"), "s1", 2, 10, true, t0.plusSeconds(10));
        send(l, "d1", retry)
                .then()
                .statusCode(200)
                .body("duplicate", equalTo(true))
                .body("addedSec", equalTo(0.0f))
                .body("creditedSec", equalTo(10.0f));
        send(l, "d1", beat(lessons.get("LV"), "s1", 1, 0, true, t0))
                .then()
                .statusCode(200)
                .body("duplicate", equalTo(true))
                .body("creditedSec", equalTo(10.0f));
        assertEquals(
                10.0, progress(l).getDouble("lessons.find { it.lessonId == " + lessons.get("LV") + " }.creditedSec"));
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void aSecondDeviceIsRefusedWhileTheFirstIsActive() {
        Learner l = learner(true);
        at(l, "phone-A", 0, "LR", "a1", 1, 0, true);
        at(l, "phone-A", 10, "LR", "a1", 2, 0, true);
        clock.set(t0.plusSeconds(20));
        send(l, "phone-B", beat(lessons.get("LR"), "b1", 1, 0, true, t0.plusSeconds(20)))
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", endsWith("/concurrent-session"));
        clock.set(t0.plusSeconds(30));
        send(l, "phone-B", beat(lessons.get("LV"), "b1", 2, 0, true, t0.plusSeconds(30)))
                .then()
                .statusCode(409);
        assertEquals(
                10.0,
                progress(l).getDouble("lessons.find { it.lessonId == " + lessons.get("LR") + " }.creditedSec"),
                "nothing credited to the second device");
        // The same device starting a new player session takes over at once.
        JsonPath takeover = at(l, "phone-A", 40, "LR", "a2", 1, 0, true);
        assertEquals(10.0, takeover.getDouble("creditedSec"));
        JsonPath next = at(l, "phone-A", 50, "LR", "a2", 2, 0, true);
        assertEquals(20.0, next.getDouble("creditedSec"));
        // A minute after phone A went quiet, phone B may study.
        JsonPath later = at(l, "phone-B", 111, "LR", "b2", 1, 0, true);
        assertEquals(20.0, later.getDouble("creditedSec"));
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void aClosedWaveOrNoWaveIsRefused() {
        Learner l = learner(true);
        at(l, "d1", 0, "LR", "s1", 1, 0, true);
        Instant afterGrace = waveCloses.plus(Duration.ofMinutes(31));
        clock.set(afterGrace);
        send(l, "d1", beat(lessons.get("LR"), "s1", 2, 0, true, afterGrace))
                .then()
                .statusCode(409)
                .body("type", endsWith("/wave-closed"));
        clock.set(waveCloses.plus(Duration.ofMinutes(29)));
        send(l, "d1", beat(lessons.get("LR"), "s1", 3, 0, true, afterGrace))
                .then()
                .statusCode(200);
        Learner unassigned = learner(false);
        clock.set(t0);
        send(unassigned, "d1", beat(lessons.get("LR"), "s1", 1, 0, true, t0))
                .then()
                .statusCode(409)
                .body("type", endsWith("/wave-closed"));
    }

    @Test
    void lessonsOutsideTheLearnersCoursesAre404() {
        Learner l = learner(true);
        send(l, "d1", beat(lessons.get("OX"), "s1", 1, 0, true, t0))
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        send(l, "d1", beat(99_999_999L, "s1", 1, 0, true, t0)).then().statusCode(404);
        as(l.token()).get("/api/v1/me/progress?courseId=" + otherCourse).then().statusCode(404);
    }

    @Test
    void badHeartbeatsAreClearProblemsAndChangeNothing() {
        Learner l = learner(true);
        as(l.token())
                .contentType(ContentType.JSON)
                .body(beat(lessons.get("LR"), "s1", 1, 0, true, t0))
                .post("/api/v1/me/heartbeats")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("X-Device-Id"));
        Map<String, Object> bad = new HashMap<>(beat(lessons.get("LR"), "s1", -1, -5, true, t0));
        bad.remove("sentAt");
        send(l, "d1", bad)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("seq", "positionSec", "sentAt"));
        as(l.token())
                .header("X-Device-Id", "d1")
                .contentType(ContentType.JSON)
                .body("{\"lessonId\": \"x\"")
                .post("/api/v1/me/heartbeats")
                .then()
                .statusCode(400);
        // A number past 64 bits is the field's error, on the route and on the batch (Quarkus REST).
        for (String path : List.of("/api/v1/me/heartbeats", "/api/v1/me/heartbeats:batch")) {
            String huge = "{\"lessonId\": 99999999999999999999, \"sessionId\": \"s1\", \"seq\": 1, "
                    + "\"positionSec\": 0, \"playing\": true, \"sentAt\": \"" + t0 + "\"}";
            as(l.token())
                    .header("X-Device-Id", "d1")
                    .contentType(ContentType.JSON)
                    .body(path.endsWith("batch") ? "[" + huge + "]" : huge)
                    .post(path)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", org.hamcrest.Matchers.endsWith("validation"))
                    .body("errors[0].field", equalTo(path.endsWith("batch") ? "0.lessonId" : "lessonId"));
        }
        List<Map<String, Object>> tooMany = Collections.nCopies(501, beat(lessons.get("LR"), "s1", 1, 0, true, t0));
        as(l.token())
                .header("X-Device-Id", "d1")
                .contentType(ContentType.JSON)
                .body(tooMany)
                .post("/api/v1/me/heartbeats:batch")
                .then()
                .statusCode(400);
        assertEquals(0.0, progress(l).getDouble("progress"));
        as(admin())
                .header("X-Device-Id", "d1")
                .contentType(ContentType.JSON)
                .body(beat(lessons.get("LR"), "s1", 1, 0, true, t0))
                .post("/api/v1/me/heartbeats")
                .then()
                .statusCode(403);
    }

    /**
     * The single heartbeat is a plain Vert.x route (HeartbeatRoute), not a REST resource: it must
     * still answer every refusal as the rest of the API does, take a chunked body, and let a browser
     * app on an allowed origin call it.
     */
    @Test
    void theHeartbeatRouteAnswersLikeTheRestOfTheApi() throws Exception {
        Learner l = learner(true);
        String body = "{\"lessonId\":" + lessons.get("LR") + ",\"sessionId\":\"r1\",\"seq\":1,"
                + "\"positionSec\":0,\"playing\":true,\"sentAt\":\"" + t0 + "\"}";
        java.util.function.BiFunction<io.restassured.specification.RequestSpecification, String, Response> post =
                (request, json) -> request.header("X-Device-Id", "d1")
                        .contentType(ContentType.JSON)
                        .body(json)
                        .post("/api/v1/me/heartbeats");
        // No token, a forged one, a staff one: 401 (with its challenge) and 403, as problems.
        post.apply(RestAssured.given(), body)
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("type", endsWith("/unauthorized"));
        post.apply(as(l.token().substring(0, l.token().length() - 4) + "AAAA"), body)
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        post.apply(RestAssured.given().header("Authorization", "Basic " + l.token()), body)
                .then()
                .statusCode(401);
        post.apply(as(admin()), body).then().statusCode(403).contentType("application/problem+json");
        // Not JSON, not valid JSON, trailing content, an empty body: 415 and 400s.
        as(l.token())
                .header("X-Device-Id", "d1")
                .contentType("text/plain")
                .body(body)
                .post("/api/v1/me/heartbeats")
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
        for (String bad : List.of("{\"lessonId\":", body + " {}", "[]", "null")) {
            post.apply(as(l.token()), bad).then().statusCode(400).contentType("application/problem+json");
        }
        assertEquals(0.0, progress(l).getDouble("progress"));
        // Another method: 405 with what is allowed, as Quarkus REST answers its resources; OPTIONS lists it.
        as(l.token())
                .get("/api/v1/me/heartbeats")
                .then()
                .statusCode(405)
                .contentType("application/problem+json")
                .header("Allow", "POST, OPTIONS")
                .body("type", endsWith("/method-not-allowed"));
        as(l.token()).delete("/api/v1/me/heartbeats").then().statusCode(405);
        RestAssured.given()
                .options("/api/v1/me/heartbeats")
                .then()
                .statusCode(200)
                .header("Allow", "POST, OPTIONS");
        // A chunked body (no Content-Length), with the scheme written in lower case: stored.
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build();
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.net.http.HttpResponse<String> chunked = client.send(
                java.net.http.HttpRequest.newBuilder(base.toURI().resolve("/api/v1/me/heartbeats"))
                        .header("Authorization", "bearer " + l.token())
                        .header("X-Device-Id", "d1")
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                                () -> new java.io.ByteArrayInputStream(bytes)))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, chunked.statusCode(), chunked.body());
        assertEquals(lessons.get("LR"), JsonPath.from(chunked.body()).getLong("lessonId"));
        // A browser app on an allowed origin reads the answer (CORS runs ahead of every route).
        post.apply(
                        as(l.token()).header("Origin", "http://allowed.localhost:3000"),
                        body.replace("\"seq\":1", "\"seq\":2"))
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", "http://allowed.localhost:3000");
        // A signed-out token stops working at once here too.
        as(l.token()).post("/api/v1/auth/logout").then().statusCode(204);
        post.apply(as(l.token()), body.replace("\"seq\":1", "\"seq\":3")).then().statusCode(401);
    }

    /** 200 heartbeats of an offline session: pauses, a seek, re-watching, 10–20 s apart. */
    static List<Map<String, Object>> offlineSession(long lessonId, Instant start) {
        List<Map<String, Object>> beats = new ArrayList<>();
        Random random = new Random(7);
        double position = 0;
        Instant sent = start;
        boolean playing = true;
        for (int seq = 1; seq <= 200; seq++) {
            int gap = 10 + random.nextInt(11);
            sent = sent.plusSeconds(gap);
            if (seq % 37 == 0) {
                position += 300;
            } else if (seq % 53 == 0) {
                position = Math.max(0, position - 60);
            } else if (playing) {
                position += gap;
            }
            playing = seq % 17 != 0;
            beats.add(beat(lessonId, "offline-1", seq, Math.min(position, 3599), playing, sent));
        }
        return beats;
    }

    @Test
    void anOfflineReplayCreditsTheSameInAnyOrder() {
        Learner inOrder = learner(true);
        Learner shuffled = learner(true);
        List<Map<String, Object>> beats = offlineSession(lessons.get("LV"), t0.minus(Duration.ofHours(2)));
        List<Map<String, Object>> mixed = new ArrayList<>(beats);
        Collections.shuffle(mixed, new Random(11));
        JsonPath a = as(inOrder.token())
                .header("X-Device-Id", "tablet")
                .contentType(ContentType.JSON)
                .body(beats)
                .post("/api/v1/me/heartbeats:batch")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        JsonPath b = as(shuffled.token())
                .header("X-Device-Id", "tablet")
                .contentType(ContentType.JSON)
                .body(mixed)
                .post("/api/v1/me/heartbeats:batch")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(200, a.getList("").size());
        assertEquals(
                200, b.getList("status").stream().filter(s -> (int) s == 200).count());
        String lv = "lessons.find { it.lessonId == " + lessons.get("LV") + " }.";
        JsonPath pa = progress(inOrder);
        JsonPath pb = progress(shuffled);
        double credited = pa.getDouble(lv + "creditedSec");
        assertTrue(credited > 1000, "most of the ~3000 s session is credited: " + credited);
        long spanSec = Duration.between(Instant.parse((String) beats.get(0).get("sentAt")), Instant.parse((String)
                        beats.get(199).get("sentAt")))
                .toSeconds();
        assertTrue(credited <= spanSec, "never more than the batch's span");
        assertEquals(credited, pb.getDouble(lv + "creditedSec"));
        assertEquals(pa.getInt(lv + "coveredSec"), pb.getInt(lv + "coveredSec"));
        // Each answer belongs to its own item: answer i of the shuffled request answers mixed[i].
        for (int i = 0; i < mixed.size(); i++) {
            assertEquals(i, b.getInt("[" + i + "].index"));
            assertEquals(((Number) mixed.get(i).get("seq")).longValue(), b.getLong("[" + i + "].seq"));
        }
        // Replaying the same batch again credits nothing more.
        as(inOrder.token())
                .header("X-Device-Id", "tablet")
                .contentType(ContentType.JSON)
                .body(beats)
                .post("/api/v1/me/heartbeats:batch")
                .then()
                .statusCode(200)
                .body("result.duplicate", org.hamcrest.Matchers.everyItem(equalTo(true)));
        assertEquals(credited, progress(inOrder).getDouble(lv + "creditedSec"));
    }

    @Test
    void aReplayAnswersEachItemOnItsOwn() {
        Learner l = learner(true);
        List<Map<String, Object>> items = new ArrayList<>();
        items.add(beat(lessons.get("LR"), "r1", 1, 0, true, t0.minusSeconds(30)));
        items.add(beat(lessons.get("OX"), "r1", 2, 0, true, t0.minusSeconds(20)));
        Map<String, Object> broken = new HashMap<>(beat(lessons.get("LR"), "r1", 3, 0, true, t0.minusSeconds(10)));
        broken.put("sessionId", "");
        items.add(broken);
        items.add(beat(lessons.get("LR"), "r1", 4, 0, true, t0));
        as(l.token())
                .header("X-Device-Id", "d1")
                .contentType(ContentType.JSON)
                .body(items)
                .post("/api/v1/me/heartbeats:batch")
                .then()
                .statusCode(200)
                .body("status", equalTo(List.of(200, 404, 400, 200)))
                .body("[2].problem.errors[0].field", equalTo("[2].sessionId"))
                .body("[3].result.creditedSec", equalTo(30.0f));
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void completionAtTheThresholdIsAnnouncedOnTheLessonStream() throws Exception {
        Learner l = learner(true);
        clock.release();
        try (SseReader stream = SseReader.open(base, "api/v1/me/courses/" + course + "/stream", l.token(), null)) {
            List<SseReader.Event> snapshot = stream.untilReady();
            assertEquals(3, snapshot.size());
            assertTrue(snapshot.get(2).data().contains("\"completed\":false"));
            clock.set(t0);
            at(l, "d1", 0, "LS", "s1", 1, 0, true);
            JsonPath half = at(l, "d1", 10, "LS", "s1", 2, 10, true);
            assertEquals(0.5, half.getDouble("coverage"));
            assertEquals(false, half.getBoolean("completed"));
            JsonPath full = at(l, "d1", 20, "LS", "s1", 3, 20, true);
            assertEquals(1.0, full.getDouble("coverage"));
            assertEquals(true, full.getBoolean("completed"));
            SseReader.Event event = stream.next();
            while ("progress".equals(event.name())) {
                event = stream.next();
            }
            assertEquals("lesson-completed", event.name());
            assertTrue(event.data().contains("\"lessonId\":" + lessons.get("LS")), event.data());
            assertTrue(event.id() != null);
        }
        // The reading lesson completes at half its expected time of active reading.
        at(l, "d1", 100, "LR", "r1", 1, 0, true);
        assertEquals(false, at(l, "d1", 159, "LR", "r1", 2, 0, true).getBoolean("completed"));
        assertEquals(true, at(l, "d1", 160, "LR", "r1", 3, 0, true).getBoolean("completed"));
        clock.release();
        try (SseReader stream = SseReader.open(base, "api/v1/me/courses/" + course + "/stream", l.token(), null)) {
            List<SseReader.Event> snapshot = stream.untilReady();
            assertTrue(
                    snapshot.get(1).data().contains("\"completed\":true"),
                    snapshot.get(1).data());
            assertTrue(
                    snapshot.get(2).data().contains("\"completed\":true"),
                    snapshot.get(2).data());
        }
        as(l.token())
                .get("/api/v1/me/courses")
                .then()
                .statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].id", equalTo((int) course))
                .body("[0].completedLessons", equalTo(2))
                .body("[0].totalLessons", equalTo(3))
                .body("[0].completed", equalTo(false));
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void concurrentRetriesOfOneSessionAreCountedOnce() throws Exception {
        Learner l = learner(true);
        clock.release();
        Instant start = Instant.now();
        List<Map<String, Object>> beats = new ArrayList<>();
        for (int seq = 1; seq <= 40; seq++) {
            beats.add(beat(lessons.get("LR"), "c1", seq, 0, true, start.plusMillis(seq)));
        }
        List<Map<String, Object>> twice = new ArrayList<>(beats);
        twice.addAll(beats);
        Collections.shuffle(twice, new Random(3));
        List<Integer> fresh = Collections.synchronizedList(new ArrayList<>());
        twice.parallelStream().forEach(beat -> {
            JsonPath answer =
                    send(l, "d1", beat).then().statusCode(200).extract().jsonPath();
            if (!answer.getBoolean("duplicate")) {
                fresh.add(1);
            }
        });
        assertTrue(fresh.size() >= 1 && fresh.size() <= 40, "each seq accepted at most once: " + fresh.size());
        assertEquals(fresh.size(), storedHeartbeats(l.id(), lessons.get("LR")));
    }

    final io.vertx.mutiny.sqlclient.Pool pool = InApp.bean(io.vertx.mutiny.sqlclient.Pool.class);

    int storedHeartbeats(long learnerId, long lessonId) {
        return pool.preparedQuery("SELECT heartbeats FROM lesson_progress WHERE learner_id = $1 AND lesson_id = $2")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(learnerId, lessonId))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getInteger(0);
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void completingEveryLessonCompletesACourseWithoutQuizzes() throws Exception {
        long small = publish("PROGRESS-SMALL", List.of(lesson("SA", "READING", 20, 0.5)));
        long smallLesson = as(admin())
                .get("/api/v1/courses/" + small)
                .then()
                .extract()
                .jsonPath()
                .getLong("modules[0].lessons[0].id");
        long own = as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "Khóa ngắn",
                        "year",
                        2026,
                        "localityCode",
                        P,
                        "courseIds",
                        List.of(small),
                        "targetLearners",
                        5))
                .post("/api/v1/campaigns")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        String token = Api.enrolledLearner(P, own, Api.phone(71, PHONES.incrementAndGet()));
        long id = as(token)
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("id");
        long ownWave = as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "Đợt",
                        "opensAt",
                        t0.minus(Duration.ofDays(1)).toString(),
                        "closesAt",
                        t0.plus(Duration.ofDays(1)).toString(),
                        "capacity",
                        5))
                .post("/api/v1/campaigns/" + own + "/waves")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of("learnerIds", List.of(id)))
                .post("/api/v1/campaigns/" + own + "/waves/" + ownWave + "/learners")
                .then()
                .statusCode(200);
        Learner l = new Learner(token, id);
        clock.release();
        try (SseReader stream = SseReader.open(base, "api/v1/me/courses/" + small + "/stream", token, null)) {
            stream.untilReady();
            clock.set(t0);
            send(l, "d1", beat(smallLesson, "s", 1, 0, true, t0)).then().statusCode(200);
            clock.set(t0.plusSeconds(10));
            send(l, "d1", beat(smallLesson, "s", 2, 0, true, t0.plusSeconds(10)))
                    .then()
                    .statusCode(200)
                    .body("completed", equalTo(true));
            List<String> names = new ArrayList<>();
            while (!names.contains("course-completed")) {
                names.add(stream.next().name());
            }
            assertTrue(names.contains("lesson-completed"));
        }
        as(token)
                .get("/api/v1/me/progress?courseId=" + small)
                .then()
                .statusCode(200)
                .body("completed", equalTo(true))
                .body("progress", equalTo(1.0f));
        as(token)
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("campaigns[0].wave.open", equalTo(true))
                .body("campaigns[0].courseIds", equalTo(List.of((int) small)));
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void aFailedBatchAnswers503AndTheRetryCreditsOnce() {
        Learner l = learner(true);
        at(l, "d1", 0, "LR", "f1", 1, 0, true);
        clock.set(t0.plusSeconds(10));
        Map<String, Object> second = beat(lessons.get("LR"), "f1", 2, 0, true, t0.plusSeconds(10));
        // Take a table away from the running database so the batch's write fails for real.
        sql("ALTER TABLE learner_presence RENAME TO learner_presence_away");
        try {
            send(l, "d1", second)
                    .then()
                    .statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", "2")
                    .body("type", endsWith("/unavailable"));
        } finally {
            sql("ALTER TABLE learner_presence_away RENAME TO learner_presence");
        }
        send(l, "d1", second)
                .then()
                .statusCode(200)
                .body("addedSec", equalTo(10.0f))
                .body("creditedSec", equalTo(10.0f));
        send(l, "d1", second)
                .then()
                .statusCode(200)
                .body("duplicate", equalTo(true))
                .body("creditedSec", equalTo(10.0f));
    }

    void sql(String statement) {
        pool.query(statement).execute().await().indefinitely();
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void metricsCountHeartbeatsAndBatches() {
        Learner l = learner(true);
        at(l, "d1", 0, "LR", "m1", 1, 0, true);
        send(l, "d1", beat(lessons.get("OX"), "m1", 2, 0, true, t0)).then().statusCode(404);
        String metrics = RestAssured.get(Management.url("/q/metrics"))
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(metrics.contains("phocap_heartbeats_total{outcome=\"accepted\""), "accepted counter");
        assertTrue(
                metrics.contains("phocap_heartbeats_total{outcome=\"rejected\",reason=\"not-found\""),
                "rejected counter");
        assertTrue(metrics.contains("phocap_heartbeat_batch_size_bucket"), "batch size histogram");
        assertTrue(metrics.contains("phocap_heartbeat_commit_seconds_bucket"), "commit latency histogram");
    }
}
