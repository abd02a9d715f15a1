package org.phocap.quiz;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phocap.platform.Api;
import org.phocap.platform.InApp;
import org.phocap.platform.InProcessOnly;
import org.phocap.platform.PostgresResource;
import org.phocap.platform.TestClock;

/** Quiz attempts end to end: papers without answers, grading on the server, limits and expiry. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class QuizTest {
    static final String P = "QZ";
    static final AtomicInteger PHONES = new AtomicInteger();
    /** Question code → correct keys, as the package says (the test knows the bank; learners never see it). */
    static final Map<String, List<String>> KEY = new HashMap<>();

    static final Map<String, String> KIND = new HashMap<>();
    static long course;
    static long quizId;
    static long practiceId;
    static long lessonId;
    static long campaign;
    static long wave;
    static Instant waveCloses;

    final TestClock clock = InApp.bean(TestClock.class);

    record Learner(String token, long id) {}

    @BeforeEach
    void setUp() {
        if (clock != null) { // null where an *IT runs this against the packaged jar (real time there)
            clock.release();
        }
        if (campaign != 0) {
            return;
        }
        Api.treeOnce(P);
        List<Map<String, Object>> questions = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            String kind = i % 3 == 0 ? "MULTIPLE" : i % 3 == 1 ? "SINGLE" : "TRUE_FALSE";
            List<Map<String, Object>> options = new ArrayList<>();
            List<String> correct = new ArrayList<>();
            if (kind.equals("TRUE_FALSE")) {
                options.add(Map.of("key", "T", "text", "Đúng", "correct", i % 2 == 0));
                options.add(Map.of("key", "F", "text", "Sai", "correct", i % 2 != 0));
                correct.add(i % 2 == 0 ? "T" : "F");
            } else {
                for (String k : List.of("A", "B", "C", "D")) {
                    boolean right = kind.equals("SINGLE") ? k.equals("B") : (k.equals("A") || k.equals("C"));
                    options.add(Map.of("key", k, "text", "Phương án " + k + " câu " + i, "correct", right));
                    if (right) {
                        correct.add(k);
                    }
                }
            }
            KEY.put("Q" + i, correct);
            KIND.put("Q" + i, kind);
            questions.add(Map.of(
                    "code",
                    "Q" + i,
                    "text",
                    "Câu hỏi số " + i + " về an toàn trên mạng?",
                    "kind",
                    kind,
                    "options",
                    options));
        }
        Map<String, Object> quiz = Map.of(
                "code",
                "FINAL",
                "title",
                "Bài kiểm tra cuối khóa",
                "questionsPerAttempt",
                5,
                "timeLimitSec",
                60,
                "maxAttempts",
                3,
                "passScore",
                60,
                "questions",
                questions);
        Map<String, Object> practice = Map.of(
                "code",
                "PRACTICE",
                "title",
                "Luyện tập",
                "questionsPerAttempt",
                2,
                "timeLimitSec",
                60,
                "maxAttempts",
                5,
                "passScore",
                50,
                "review",
                true,
                "cooldownSec",
                120,
                "questions",
                List.of(
                        Map.of(
                                "code",
                                "P1",
                                "text",
                                "Có nên chia sẻ mã OTP?",
                                "kind",
                                "TRUE_FALSE",
                                "explanation",
                                "Không ai được biết mã OTP của bạn, kể cả nhân viên ngân hàng.",
                                "options",
                                List.of(
                                        Map.of("key", "T", "text", "Có", "correct", false),
                                        Map.of("key", "F", "text", "Không", "correct", true))),
                        Map.of(
                                "code",
                                "P2",
                                "text",
                                "Mật khẩu nào mạnh hơn?",
                                "kind",
                                "SINGLE",
                                "options",
                                List.of(
                                        Map.of("key", "A", "text", "123456", "correct", false),
                                        Map.of("key", "B", "text", "T@m-Dao!2026", "correct", true)))));
        Map<String, Object> lesson = Map.of(
                "code",
                "R1",
                "title",
                "Đọc trước",
                "kind",
                "READING",
                "durationSec",
                60,
                "body",
                "Nội dung",
                "completion",
                Map.of("minCoverage", 0.5));
        Map<String, Object> pkg = Map.of(
                "code",
                "QUIZ-COURSE",
                "title",
                "Khóa có bài kiểm tra",
                "language",
                "vi",
                "modules",
                List.of(Map.of("code", "M1", "title", "Mô-đun", "lessons", List.of(lesson))),
                "quizzes",
                List.of(quiz, practice),
                "completion",
                Map.of("lessons", "ALL", "quizzes", List.of("FINAL")));
        course = as(admin())
                .contentType(ContentType.JSON)
                .body(pkg)
                .post("/api/v1/courses")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        JsonPath outline = as(admin())
                .get("/api/v1/courses/" + course)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        quizId = outline.getLong("quizzes[0].id");
        practiceId = outline.getLong("quizzes[1].id");
        lessonId = outline.getLong("modules[0].lessons[0].id");
        campaign = as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "Kiểm tra",
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
        Instant now = Instant.now();
        waveCloses = now.plus(Duration.ofDays(3));
        wave = as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "Đợt",
                        "opensAt",
                        now.minus(Duration.ofDays(1)).toString(),
                        "closesAt",
                        waveCloses.toString(),
                        "capacity",
                        1000))
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

    static Learner learner() {
        String token = Api.enrolledLearner(P, campaign, Api.phone(72, PHONES.incrementAndGet()));
        long id = as(token)
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("id");
        as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of("learnerIds", List.of(id)))
                .post("/api/v1/campaigns/" + campaign + "/waves/" + wave + "/learners")
                .then()
                .statusCode(200);
        return new Learner(token, id);
    }

    static Response start(Learner l) {
        return as(l.token()).post("/api/v1/me/quizzes/" + quizId + "/attempts");
    }

    /** The right answers for the questions of an attempt's paper. */
    static Map<String, List<String>> rightAnswers(JsonPath attempt) {
        Map<String, List<String>> answers = new HashMap<>();
        for (String id : attempt.<String>getList("questions.id")) {
            answers.put(id, KEY.get(id));
        }
        return answers;
    }

    static Response submit(Learner l, long attemptId, Map<String, List<String>> answers, String key) {
        var request = as(l.token()).contentType(ContentType.JSON).body(Map.of("answers", answers));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/api/v1/me/attempts/" + attemptId + "/submit");
    }

    static void assertNoKey(String body) {
        assertFalse(body.contains("\"correct\""), "no correct flag or count before submission: " + body);
        assertFalse(body.contains("answer_key") || body.contains("\"key\":{"), body);
        for (String id : KEY.keySet()) {
            assertFalse(body.contains("\"" + id + "\":[\"") && !body.contains("\"answers\""), body);
        }
    }

    /** Starts an attempt at t0 and submits the right answers {@code seconds} later (server clock). */
    long passIn(Learner l, Instant t0, int seconds) {
        clock.set(t0);
        JsonPath attempt = start(l).then().statusCode(201).extract().jsonPath();
        clock.set(t0.plusSeconds(seconds));
        submit(l, attempt.getLong("attemptId"), rightAnswers(attempt), null)
                .then()
                .statusCode(200)
                .body("passed", equalTo(true));
        return attempt.getLong("attemptId");
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void aPassFasterThanThreeSecondsAQuestionRaisesFastQuizAndOneAtThatPaceDoesNot() {
        Learner atPace = learner();
        Learner tooFast = learner();
        Instant t0 = Instant.now();
        passIn(atPace, t0, 15); // 5 questions x 3 s
        long fast = passIn(tooFast, t0, 14);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> as(admin())
                        .get("/api/v1/campaigns/" + campaign + "/integrity-flags?kind=FAST_QUIZ")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("items.learnerId")
                        .contains((int) tooFast.id()));
        JsonPath flags = as(admin())
                .get("/api/v1/campaigns/" + campaign + "/integrity-flags?kind=FAST_QUIZ&status=OPEN")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertFalse(flags.getList("items.learnerId").contains((int) atPace.id()), "at the threshold is not fast");
        int i = flags.getList("items.learnerId").indexOf((int) tooFast.id());
        assertEquals("FAST_QUIZ", flags.getString("items[" + i + "].kind"));
        // Evidence is kept per reason: here, per attempt.
        String evidence = "items[" + i + "].evidence.'attempt-" + fast + "'";
        assertEquals(fast, flags.getLong(evidence + ".attemptId"));
        assertEquals(14, flags.getInt(evidence + ".timeUsedSec"));
        assertEquals(15, flags.getInt(evidence + ".thresholdSec"));
        as(admin())
                .get("/api/v1/campaigns/" + campaign + "/integrity-flags?kind=NOPE")
                .then()
                .statusCode(400);
    }

    @Test
    void papersNeverCarryTheAnswersAndReloadShowsTheSamePaper() {
        Learner l = learner();
        Response started = start(l);
        started.then().statusCode(201).body("questions.size()", equalTo(5));
        assertNoKey(started.asString());
        JsonPath attempt = started.jsonPath();
        long id = attempt.getLong("attemptId");
        Response reloaded = as(l.token()).get("/api/v1/me/attempts/" + id);
        reloaded.then().statusCode(200);
        assertNoKey(reloaded.asString());
        assertEquals(attempt.getList("questions"), reloaded.jsonPath().getList("questions"));
        Response again = start(l);
        again.then().statusCode(200).body("attemptId", equalTo((int) id));
        assertNoKey(again.asString());
        assertEquals(attempt.getList("questions"), again.jsonPath().getList("questions"));
        String firstQuestion = attempt.getString("questions[0].id");
        as(l.token())
                .contentType(ContentType.JSON)
                .body(Map.of("answers", Map.of(firstQuestion, List.of())))
                .put("/api/v1/me/attempts/" + id + "/answers")
                .then()
                .statusCode(204);
        Response saved = as(l.token()).get("/api/v1/me/attempts/" + id);
        assertNoKey(saved.asString());
        // Outlines and lessons never carry the bank either.
        assertNoKey(as(l.token()).get("/api/v1/courses/" + course).asString());
    }

    @Test
    void twoAttemptsGetDifferentPapers() {
        JsonPath a = start(learner()).then().statusCode(201).extract().jsonPath();
        JsonPath b = start(learner()).then().statusCode(201).extract().jsonPath();
        assertNotEquals(
                a.getList("questions"),
                b.getList("questions"),
                "12 questions choose 5, shuffled: a collision is ~1e-6");
    }

    @Test
    void allRightPassesAndASecondSubmitOrAnIdempotentReplayAnswersTheFirstResult() {
        Learner l = learner();
        JsonPath attempt = start(l).then().statusCode(201).extract().jsonPath();
        long id = attempt.getLong("attemptId");
        JsonPath result = submit(l, id, rightAnswers(attempt), "submit-" + id)
                .then()
                .statusCode(200)
                .body("score", equalTo(100))
                .body("maxScore", equalTo(100))
                .body("passed", equalTo(true))
                .body("correct", equalTo(5))
                .body("total", equalTo(5))
                .body("gradedBy", equalTo("LEARNER"))
                .extract()
                .jsonPath();
        // A second submit with other answers changes nothing.
        Map<String, List<String>> wrong = new HashMap<>();
        attempt.<String>getList("questions.id").forEach(q -> wrong.put(q, List.of()));
        assertEquals(
                result.getMap(""),
                submit(l, id, wrong, null)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getMap(""));
        assertEquals(
                result.getMap(""),
                submit(l, id, rightAnswers(attempt), "submit-" + id)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getMap(""));
        as(l.token()).get("/api/v1/me/attempts/" + id).then().statusCode(200).body("result.score", equalTo(100));
        as(l.token())
                .contentType(ContentType.JSON)
                .body(Map.of("answers", Map.of()))
                .put("/api/v1/me/attempts/" + id + "/answers")
                .then()
                .statusCode(409)
                .body("type", endsWith("/attempt-closed"));
    }

    @Test
    void emptyAndWrongAnswersScoreZeroAndBadAnswersAreRefused() {
        Learner l = learner();
        JsonPath attempt = start(l).then().statusCode(201).extract().jsonPath();
        long id = attempt.getLong("attemptId");
        String q = attempt.getString("questions[0].id");
        as(l.token())
                .contentType(ContentType.JSON)
                .body(Map.of("answers", Map.of("NOPE", List.of("A"))))
                .put("/api/v1/me/attempts/" + id + "/answers")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("answers.NOPE"));
        as(l.token())
                .contentType(ContentType.JSON)
                .body(Map.of("answers", Map.of(q, List.of("Z"))))
                .put("/api/v1/me/attempts/" + id + "/answers")
                .then()
                .statusCode(400);
        Map<String, List<String>> wrong = new HashMap<>();
        for (String id2 : attempt.<String>getList("questions.id")) {
            List<String> right = KEY.get(id2);
            wrong.put(
                    id2,
                    KIND.get(id2).equals("TRUE_FALSE") ? List.of(right.get(0).equals("T") ? "F" : "T") : List.of("D"));
        }
        submit(l, id, wrong, null)
                .then()
                .statusCode(200)
                .body("score", equalTo(0))
                .body("passed", equalTo(false))
                .body("correct", equalTo(0));
    }

    @Test
    void maxAttemptsAreEnforced() {
        Learner l = learner();
        for (int i = 1; i <= 3; i++) {
            JsonPath attempt = start(l).then()
                    .statusCode(201)
                    .body("number", equalTo(i))
                    .extract()
                    .jsonPath();
            submit(l, attempt.getLong("attemptId"), Map.of(), null).then().statusCode(200);
        }
        start(l).then().statusCode(409).contentType("application/problem+json").body("type", endsWith("/max-attempts"));
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void anExpiredAttemptIsGradedWithWhatWasSaved() {
        Learner l = learner();
        JsonPath attempt = start(l).then().statusCode(201).extract().jsonPath();
        long id = attempt.getLong("attemptId");
        Map<String, List<String>> right = rightAnswers(attempt);
        List<String> ids = attempt.getList("questions.id");
        Map<String, List<String>> three = new HashMap<>();
        ids.subList(0, 3).forEach(q -> three.put(q, right.get(q)));
        as(l.token())
                .contentType(ContentType.JSON)
                .body(Map.of("answers", three))
                .put("/api/v1/me/attempts/" + id + "/answers")
                .then()
                .statusCode(204);
        clock.set(Instant.parse(attempt.getString("expiresAt")).plusSeconds(31));
        as(l.token())
                .get("/api/v1/me/attempts/" + id)
                .then()
                .statusCode(200)
                .body("result.score", equalTo(60))
                .body("result.correct", equalTo(3))
                .body("result.gradedBy", equalTo("EXPIRY"))
                .body("result.timeUsedSec", equalTo(60));
        // Submitting all the right answers now is too late: the saved ones were graded.
        submit(l, id, right, null).then().statusCode(200).body("score", equalTo(60));
    }

    final QuizService quizzes = InApp.bean(QuizService.class);

    final io.vertx.mutiny.sqlclient.Pool pool = InApp.bean(io.vertx.mutiny.sqlclient.Pool.class);

    @Test
    @InProcessOnly("sets the application's clock")
    void theSweepGradesExpiredAttemptsNobodyReads() {
        Learner l = learner();
        JsonPath attempt = start(l).then().statusCode(201).extract().jsonPath();
        long id = attempt.getLong("attemptId");
        Map<String, List<String>> right = rightAnswers(attempt);
        as(l.token())
                .contentType(ContentType.JSON)
                .body(Map.of("answers", right))
                .put("/api/v1/me/attempts/" + id + "/answers")
                .then()
                .statusCode(204);
        clock.set(Instant.parse(attempt.getString("expiresAt")).plusSeconds(31));
        quizzes.gradeExpired().await().atMost(Duration.ofSeconds(30));
        var row = pool.preparedQuery("SELECT graded_by, score FROM quiz_attempt WHERE id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(id))
                .await()
                .indefinitely()
                .iterator()
                .next();
        assertEquals("EXPIRY", row.getString("graded_by"));
        assertEquals(100, row.getInteger("score"));
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void aClosedWaveOrAnotherLearnersAttemptIsRefused() {
        Learner l = learner();
        Learner other = learner();
        long id = start(l).then().statusCode(201).extract().jsonPath().getLong("attemptId");
        as(other.token()).get("/api/v1/me/attempts/" + id).then().statusCode(404);
        submit(other, id, Map.of(), null).then().statusCode(404);
        as(l.token()).post("/api/v1/me/quizzes/99999999/attempts").then().statusCode(404);
        clock.set(waveCloses.plusSeconds(60));
        start(other).then().statusCode(409).body("type", endsWith("/wave-closed"));
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void aPassAndTheLessonsCompleteTheCourse() {
        Learner l = learner();
        Instant t0 = Instant.now();
        clock.set(t0);
        as(l.token())
                .header("X-Device-Id", "d")
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "lessonId",
                        lessonId,
                        "sessionId",
                        "s",
                        "seq",
                        1,
                        "positionSec",
                        0,
                        "playing",
                        true,
                        "sentAt",
                        t0.toString()))
                .post("/api/v1/me/heartbeats")
                .then()
                .statusCode(200);
        clock.set(t0.plusSeconds(30));
        as(l.token())
                .header("X-Device-Id", "d")
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "lessonId",
                        lessonId,
                        "sessionId",
                        "s",
                        "seq",
                        2,
                        "positionSec",
                        0,
                        "playing",
                        true,
                        "sentAt",
                        t0.plusSeconds(30).toString()))
                .post("/api/v1/me/heartbeats")
                .then()
                .statusCode(200)
                .body("completed", equalTo(true));
        clock.release();
        as(l.token())
                .get("/api/v1/me/progress?courseId=" + course)
                .then()
                .statusCode(200)
                .body("completed", equalTo(false));
        JsonPath attempt = start(l).then().statusCode(201).extract().jsonPath();
        submit(l, attempt.getLong("attemptId"), rightAnswers(attempt), null)
                .then()
                .statusCode(200)
                .body("passed", equalTo(true));
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> as(l.token())
                        .get("/api/v1/me/progress?courseId=" + course)
                        .then()
                        .extract()
                        .jsonPath()
                        .getBoolean("completed"));
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void reviewAfterSubmissionOnlyAndACooldownBetweenAttempts() {
        Learner l = learner();
        Response started = as(l.token()).post("/api/v1/me/quizzes/" + practiceId + "/attempts");
        started.then().statusCode(201);
        assertFalse(
                started.asString().contains("explanation") || started.asString().contains("OTP của bạn"));
        long id = started.jsonPath().getLong("attemptId");
        assertFalse(as(l.token()).get("/api/v1/me/attempts/" + id).asString().contains("review"));
        submit(l, id, Map.of("P1", List.of("T")), null).then().statusCode(200).body("correct", equalTo(0));
        as(l.token())
                .get("/api/v1/me/attempts/" + id)
                .then()
                .statusCode(200)
                .body("review.find { it.questionId == 'P1' }.correctKeys", equalTo(List.of("F")))
                .body("review.find { it.questionId == 'P1' }.right", equalTo(false))
                .body("review.find { it.questionId == 'P1' }.explanation", org.hamcrest.Matchers.containsString("OTP"));
        as(l.token())
                .post("/api/v1/me/quizzes/" + practiceId + "/attempts")
                .then()
                .statusCode(409)
                .body("type", endsWith("/cooldown"))
                .header("Retry-After", org.hamcrest.Matchers.notNullValue());
        clock.set(Instant.now().plusSeconds(121));
        as(l.token())
                .post("/api/v1/me/quizzes/" + practiceId + "/attempts")
                .then()
                .statusCode(201)
                .body("number", equalTo(2));
        // The final quiz allows no review: its graded attempts never show the key.
        JsonPath attempt = start(l).then().statusCode(201).extract().jsonPath();
        submit(l, attempt.getLong("attemptId"), Map.of(), null).then().statusCode(200);
        assertFalse(as(l.token())
                .get("/api/v1/me/attempts/" + attempt.getLong("attemptId"))
                .asString()
                .contains("review"));
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void underTheLastScorePolicyAFailAfterAPassKeepsTheCourseOpen() {
        // The same course, but its final quiz decided by the latest attempt.
        Map<String, Object> question = Map.of(
                "code",
                "L1",
                "text",
                "Có nên bật xác thực hai lớp?",
                "kind",
                "TRUE_FALSE",
                "options",
                List.of(
                        Map.of("key", "T", "text", "Có", "correct", true),
                        Map.of("key", "F", "text", "Không", "correct", false)));
        Map<String, Object> quiz = Map.of(
                "code",
                "LASTQ",
                "title",
                "Lần cuối quyết định",
                "questionsPerAttempt",
                1,
                "timeLimitSec",
                60,
                "maxAttempts",
                5,
                "passScore",
                100,
                "scorePolicy",
                "LAST",
                "questions",
                List.of(question));
        Map<String, Object> pkg = Map.of(
                "code",
                "QUIZ-LAST",
                "title",
                "Khóa lần cuối",
                "language",
                "vi",
                "modules",
                List.of(Map.of(
                        "code",
                        "M1",
                        "title",
                        "Mô-đun",
                        "lessons",
                        List.of(Map.of(
                                "code",
                                "R1",
                                "title",
                                "Đọc",
                                "kind",
                                "READING",
                                "durationSec",
                                60,
                                "body",
                                "Nội dung",
                                "completion",
                                Map.of("minCoverage", 0.5))))),
                "quizzes",
                List.of(quiz),
                "completion",
                Map.of("lessons", "ALL", "quizzes", List.of("LASTQ")));
        long lastCourse = as(admin())
                .contentType(ContentType.JSON)
                .body(pkg)
                .post("/api/v1/courses")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        JsonPath outline = as(admin())
                .get("/api/v1/courses/" + lastCourse)
                .then()
                .extract()
                .jsonPath();
        long lastQuiz = outline.getLong("quizzes[0].id");
        long lastLesson = outline.getLong("modules[0].lessons[0].id");
        long own = as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "Lần cuối",
                        "year",
                        2026,
                        "localityCode",
                        P,
                        "courseIds",
                        List.of(lastCourse),
                        "targetLearners",
                        5))
                .post("/api/v1/campaigns")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        String token = Api.enrolledLearner(P, own, Api.phone(73, PHONES.incrementAndGet()));
        long id = as(token).get("/api/v1/me").then().extract().jsonPath().getLong("id");
        long ownWave = as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "Đợt",
                        "opensAt",
                        Instant.now().minus(Duration.ofDays(1)).toString(),
                        "closesAt",
                        Instant.now().plus(Duration.ofDays(1)).toString(),
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
        long pass = as(token)
                .post("/api/v1/me/quizzes/" + lastQuiz + "/attempts")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("attemptId");
        submit(l, pass, Map.of("L1", List.of("T")), null).then().statusCode(200).body("passed", equalTo(true));
        long fail = as(token)
                .post("/api/v1/me/quizzes/" + lastQuiz + "/attempts")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("attemptId");
        submit(l, fail, Map.of("L1", List.of("F")), null).then().statusCode(200).body("passed", equalTo(false));
        Instant t0 = Instant.now();
        for (int seq = 1; seq <= 2; seq++) {
            Instant at = t0.plusSeconds(30L * (seq - 1));
            clock.set(at);
            as(token)
                    .header("X-Device-Id", "d")
                    .contentType(ContentType.JSON)
                    .body(Map.of(
                            "lessonId",
                            lastLesson,
                            "sessionId",
                            "s",
                            "seq",
                            seq,
                            "positionSec",
                            0,
                            "playing",
                            true,
                            "sentAt",
                            at.toString()))
                    .post("/api/v1/me/heartbeats")
                    .then()
                    .statusCode(200);
        }
        clock.release();
        // Give the completion check that follows the lesson's completion time to run; the course stays open.
        org.awaitility.Awaitility.await()
                .pollDelay(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> true);
        as(token)
                .get("/api/v1/me/progress?courseId=" + lastCourse)
                .then()
                .statusCode(200)
                .body("completedLessons", equalTo(1))
                .body("completed", equalTo(false));
        long again = as(token)
                .post("/api/v1/me/quizzes/" + lastQuiz + "/attempts")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("attemptId");
        submit(l, again, Map.of("L1", List.of("T")), null)
                .then()
                .statusCode(200)
                .body("passed", equalTo(true));
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> as(token)
                        .get("/api/v1/me/progress?courseId=" + lastCourse)
                        .then()
                        .extract()
                        .jsonPath()
                        .getBoolean("completed"));
    }

    @Test
    void gradingByKind() {
        List<Paper.Question> paper = List.of(
                new Paper.Question("S", "?", "SINGLE", List.of(new Paper.Option("A", "a"), new Paper.Option("B", "b"))),
                new Paper.Question(
                        "T", "?", "TRUE_FALSE", List.of(new Paper.Option("T", "t"), new Paper.Option("F", "f"))),
                new Paper.Question(
                        "M",
                        "?",
                        "MULTIPLE",
                        List.of(new Paper.Option("A", "a"), new Paper.Option("B", "b"), new Paper.Option("C", "c"))));
        Map<String, List<String>> key = Map.of("S", List.of("B"), "T", List.of("F"), "M", List.of("A", "C"));
        assertEquals(
                new Grader.Grade(100, 3, 3, true),
                Grader.grade(
                        paper, key, Map.of("S", List.of("B"), "T", List.of("F"), "M", List.of("C", "A")), 60, false));
        assertEquals(
                new Grader.Grade(0, 0, 3, false),
                Grader.grade(paper, key, Map.of("S", List.of("A"), "T", List.of("T"), "M", List.of("B")), 60, false));
        assertEquals(new Grader.Grade(0, 0, 3, false), Grader.grade(paper, key, Map.of(), 60, false));
        // One of two right options: nothing all-or-nothing, half with partial credit; a wrong one cancels a right one.
        assertEquals(
                new Grader.Grade(67, 2, 3, true),
                Grader.grade(paper, key, Map.of("S", List.of("B"), "T", List.of("F"), "M", List.of("A")), 60, false));
        assertEquals(
                new Grader.Grade(83, 2, 3, true),
                Grader.grade(paper, key, Map.of("S", List.of("B"), "T", List.of("F"), "M", List.of("A")), 60, true));
        assertEquals(
                new Grader.Grade(67, 2, 3, true),
                Grader.grade(
                        paper, key, Map.of("S", List.of("B"), "T", List.of("F"), "M", List.of("A", "B")), 60, true));
    }

    @Test
    void papersVaryWithTheSeedAndRepeatWithIt() {
        List<org.phocap.course.CoursePackage.Question> bank = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            bank.add(new org.phocap.course.CoursePackage.Question(
                    "Q" + i,
                    "?",
                    "SINGLE",
                    List.of(
                            new org.phocap.course.CoursePackage.Option("A", "a", true),
                            new org.phocap.course.CoursePackage.Option("B", "b", false),
                            new org.phocap.course.CoursePackage.Option("C", "c", false)),
                    null));
        }
        assertEquals(Paper.draw(bank, 20, 42), Paper.draw(bank, 20, 42));
        java.util.Set<List<Paper.Question>> seen = new java.util.HashSet<>();
        java.util.Random seeds = new java.util.Random(1);
        for (int i = 0; i < 500; i++) {
            seen.add(Paper.draw(bank, 20, seeds.nextLong()).questions());
        }
        assertEquals(500, seen.size(), "500 attempts, 500 different papers");
        assertTrue(Paper.draw(bank, 20, 7).key().values().stream().allMatch(k -> k.equals(List.of("A"))));
    }
}
