package org.phocap.certificate;

import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.phocap.platform.Api;
import org.phocap.platform.TestClock;

/**
 * A course whose completion needs its one reading lesson and passes in two quizzes, taught by a
 * campaign with an open wave, in its own province; and the steps a learner takes through it.
 */
public final class CertificateCourse {
    /** Each quiz has two true/false questions: the answer to Q1 is "Đúng", to Q2 "Sai". */
    static final Map<String, List<String>> RIGHT = Map.of("Q1", List.of("T"), "Q2", List.of("F"));

    static final Map<String, List<String>> WRONG = Map.of("Q1", List.of("F"), "Q2", List.of("T"));

    public record Learner(String token, long id, String name) {}

    final String p;
    final int phoneRange;
    final AtomicInteger phones = new AtomicInteger();
    public long course;
    public long lessonId;
    public long quizA;
    public long quizB;
    public long campaign;
    public long wave;

    public CertificateCourse(String p, int phoneRange) {
        this.p = p;
        this.phoneRange = phoneRange;
    }

    public synchronized CertificateCourse ready() {
        if (campaign != 0) {
            return this;
        }
        Api.treeOnce(p);
        Map<String, Object> lesson = Map.of(
                "code",
                "R1",
                "title",
                "Bảo vệ tài khoản",
                "kind",
                "READING",
                "durationSec",
                60,
                "body",
                "Nội dung bài đọc",
                "completion",
                Map.of("minCoverage", 0.5));
        Map<String, Object> pkg = Map.of(
                "code",
                "CERT-" + p,
                "title",
                "Kỹ năng số cơ bản",
                "language",
                "vi",
                "modules",
                List.of(Map.of("code", "M1", "title", "Mô-đun 1", "lessons", List.of(lesson))),
                "quizzes",
                List.of(quiz("A", "Kiểm tra mô-đun"), quiz("B", "Kiểm tra cuối khóa")),
                "completion",
                Map.of("lessons", "ALL", "quizzes", List.of("A", "B")));
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
        quizA = outline.getLong("quizzes.find { it.code == 'A' }.id");
        quizB = outline.getLong("quizzes.find { it.code == 'B' }.id");
        lessonId = outline.getLong("modules[0].lessons[0].id");
        campaign = as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "Chiến dịch Chuyển đổi số " + p,
                        "year",
                        2026,
                        "localityCode",
                        p,
                        "courseIds",
                        List.of(course),
                        "targetLearners",
                        1000,
                        "certificatePrefix",
                        p,
                        "issuingBody",
                        "Ủy ban nhân dân tỉnh Thử Nghiệm"))
                .post("/api/v1/campaigns")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        Instant now = Instant.now();
        wave = as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "Đợt 1",
                        "opensAt",
                        now.minus(Duration.ofDays(1)).toString(),
                        "closesAt",
                        now.plus(Duration.ofDays(5)).toString(),
                        "capacity",
                        10_000))
                .post("/api/v1/campaigns/" + campaign + "/waves")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        return this;
    }

    private static Map<String, Object> quiz(String code, String title) {
        return Map.of(
                "code",
                code,
                "title",
                title,
                "questionsPerAttempt",
                2,
                "timeLimitSec",
                600,
                "maxAttempts",
                5,
                "passScore",
                50,
                "questions",
                List.of(
                        Map.of(
                                "code",
                                "Q1",
                                "text",
                                "Không chia sẻ mã OTP cho người khác?",
                                "kind",
                                "TRUE_FALSE",
                                "options",
                                List.of(
                                        Map.of("key", "T", "text", "Đúng", "correct", true),
                                        Map.of("key", "F", "text", "Sai", "correct", false))),
                        Map.of(
                                "code",
                                "Q2",
                                "text",
                                "Mật khẩu 123456 là an toàn?",
                                "kind",
                                "TRUE_FALSE",
                                "options",
                                List.of(
                                        Map.of("key", "T", "text", "Đúng", "correct", false),
                                        Map.of("key", "F", "text", "Sai", "correct", true)))));
    }

    public Learner learner(String fullName, String village) {
        String token =
                Api.enrolledLearner(p, campaign, Api.phone(phoneRange, phones.incrementAndGet()), fullName, village);
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
        return new Learner(token, id, fullName);
    }

    public Learner learner(String fullName) {
        return learner(fullName, p + "1-1-1");
    }

    /** Reads the lesson for 30 s of (test-clock) time: half its length, which completes it. */
    void readLesson(Learner l, TestClock clock) {
        Instant t0 = Instant.now();
        try {
            clock.set(t0);
            heartbeat(l, 1, t0).then().statusCode(200);
            clock.set(t0.plusSeconds(30));
            heartbeat(l, 2, t0.plusSeconds(30)).then().statusCode(200);
        } finally {
            clock.release();
        }
    }

    private Response heartbeat(Learner l, int seq, Instant at) {
        return as(l.token())
                .header("X-Device-Id", "dev-" + l.id())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "lessonId",
                        lessonId,
                        "sessionId",
                        "s-" + l.id(),
                        "seq",
                        seq,
                        "positionSec",
                        0,
                        "playing",
                        true,
                        "sentAt",
                        at.toString()))
                .post("/api/v1/me/heartbeats");
    }

    public long startAttempt(Learner l, long quizId) {
        return as(l.token())
                .post("/api/v1/me/quizzes/" + quizId + "/attempts")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("attemptId");
    }

    public Response submit(Learner l, long attemptId, Map<String, List<String>> answers) {
        return as(l.token())
                .contentType(ContentType.JSON)
                .body(Map.of("answers", new HashMap<>(answers)))
                .post("/api/v1/me/attempts/" + attemptId + "/submit");
    }

    public void pass(Learner l, long quizId) {
        submit(l, startAttempt(l, quizId), RIGHT)
                .then()
                .statusCode(200)
                .body("passed", org.hamcrest.Matchers.equalTo(true));
    }

    /** Lesson and both quizzes: the learner's certificate is issued. */
    public void complete(Learner l, TestClock clock) {
        readLesson(l, clock);
        pass(l, quizA);
        pass(l, quizB);
    }

    /** The learner's certificates once the asynchronous completion check has run. */
    public static List<Map<String, Object>> certificates(Learner l, int expected) {
        List<Map<String, Object>>[] last = new List[1];
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    last[0] = as(l.token())
                            .get("/api/v1/me/certificates")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getList("$");
                    return last[0].size() >= expected;
                });
        return last[0];
    }
}
