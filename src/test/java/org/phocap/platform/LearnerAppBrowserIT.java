package org.phocap.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The reference learner app (/app/) in headless Chromium, against the packaged service with the
 * demo data loaded: a learner activates with the code from the roster import, sees the course,
 * opens a lesson and plays its video to the end (the credit shows in the app and lesson-completed
 * arrives through the browser's own EventSource), passes the final quiz, receives the certificate
 * and downloads its PDF; then the server drops the stream and the app reconnects with a fresh
 * ticket and gets the announcement sent while it was away. Screenshots of each step:
 * target/app-*.png.
 *
 * <p>The course is the test's own, one 3-second video and a one-question final quiz, published
 * beside the demo course: the demo's placeholder clips are 3 s long for lessons of 4 to 6 minutes,
 * and credit follows the server's clock, so a demo lesson cannot be completed faster than it lasts.
 */
@Tag("browser")
class LearnerAppBrowserIT {
    static final String PHONE = "0919 876 543";
    static final String PIN = "246810";

    @Test
    void aLearnerActivatesStudiesPassesAndDownloadsTheCertificate() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                AppProcess app = AppProcess.start(
                        "learner-app",
                        "postgresql://localhost:" + postgres.getPort() + "/postgres",
                        Map.of(
                                "PHOCAP_DEMO_ENABLED",
                                "true",
                                "PHOCAP_DEMO_LEARNERS",
                                "200",
                                "PHOCAP_DEMO_FINISHED_LEARNERS",
                                "5"))) {
            app.awaitReady(Duration.ofSeconds(120));
            RestAssured.port = app.port();
            Api.forgetAdmin();
            try {
                run(app);
            } finally {
                RestAssured.reset();
                Api.forgetAdmin();
            }
        }
    }

    private void run(AppProcess app) throws Exception {
        String admin = given().contentType(ContentType.JSON)
                .body(Map.of("username", "admin", "password", Api.ADMIN_PASSWORD))
                .post("/api/v1/auth/login")
                .then()
                .statusCode(200)
                .extract()
                .path("accessToken");
        // The demo's finished learners hold their certificates (the README's certificate step needs them).
        given().auth()
                .oauth2(admin)
                .get("/api/v1/certificates?size=100")
                .then()
                .statusCode(200)
                .body("total", org.hamcrest.Matchers.equalTo(5));
        Api.tree("LA");
        long course = publishCourse(admin);
        long quiz = given().auth()
                .oauth2(admin)
                .get("/api/v1/courses/" + course)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("quizzes[0].id");
        long campaign = given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "Ứng dụng học",
                        "year",
                        2026,
                        "localityCode",
                        "LA",
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
        String csv = Api.ROSTER_HEADER + "Trần Thị Thu," + PHONE + ",1975,Nữ,Kinh,LA1-1-1,VILLAGE,\n";
        long importId = given().auth()
                .oauth2(admin)
                .contentType("text/csv")
                .body(csv.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/campaigns/" + campaign + "/roster")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("importId");
        JsonNode done = waitForImport(admin, importId);
        assertEquals(1, done.path("created").asInt(), done.toString());
        String codes = given().auth()
                .oauth2(admin)
                .get("/api/v1/imports/" + importId + "/activation-codes.csv")
                .then()
                .extract()
                .asString();
        String line =
                codes.lines().filter(l -> l.contains("84919876543")).findFirst().orElseThrow();
        String code = Secrets.remember(line.substring(line.lastIndexOf(',') + 1).strip());
        long learnerId = given().auth()
                .oauth2(admin)
                .get("/api/v1/campaigns/" + campaign + "/learners")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("items[0].id");
        long wave = given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "Đợt đang mở",
                        "opensAt",
                        java.time.Instant.now().minusSeconds(86400).toString(),
                        "closesAt",
                        java.time.Instant.now().plusSeconds(5 * 86400).toString(),
                        "capacity",
                        100,
                        "graceMinutes",
                        30))
                .post("/api/v1/campaigns/" + campaign + "/waves")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("learnerIds", List.of(learnerId)))
                .post("/api/v1/campaigns/" + campaign + "/waves/" + wave + "/learners")
                .then()
                .statusCode(200);

        String base = "http://localhost:" + app.port();
        try (Browser browser = Browser.launch("learner-app");
                Browser.Page page = browser.open(base + "/app/#/activate")) {
            // Activation with the code, then the course list.
            page.waitFor("document.querySelector('#code')", Duration.ofSeconds(10));
            fill(page, Map.of("#phone", PHONE, "#code", code, "#pin", Secrets.remember(PIN)));
            page.eval("document.querySelector('button[type=submit]').click()");
            page.waitFor(
                    "location.hash === '#/courses' && document.body.innerText.includes('Video ngắn trong ứng dụng')",
                    Duration.ofSeconds(15));
            // Signed out, and in again with the phone (another spelling) and the PIN chosen.
            page.eval("document.querySelector('#logout').click()");
            page.waitFor("location.hash === '#/login' && document.querySelector('#pin')", Duration.ofSeconds(10));
            fill(page, Map.of("#phone", "+84919876543", "#pin", PIN));
            page.screenshot(Path.of("target", "app-0-sign-in.png"));
            page.eval("document.querySelector('button[type=submit]').click()");
            page.waitFor(
                    "location.hash === '#/courses' && document.body.innerText.includes('Video ngắn trong ứng dụng')",
                    Duration.ofSeconds(15));
            page.screenshot(Path.of("target", "app-1-courses.png"));

            // The course: its lessons through the lesson stream (EventSource with a ticket).
            page.eval("location.hash = '#/course/" + course + "'");
            page.waitFor("document.querySelector('[data-lesson]')", Duration.ofSeconds(15));
            page.screenshot(Path.of("target", "app-2-course.png"));
            String lessonId = page.eval("document.querySelector('[data-lesson]').dataset.lesson")
                    .asText();

            // The lesson: play the video to its end; the credit shows and lesson-completed arrives.
            page.eval("location.hash = '#/lesson/" + course + "/" + lessonId + "'");
            page.waitFor(
                    "document.querySelector('video') && document.querySelector('video').readyState >= 2",
                    Duration.ofSeconds(15));
            page.eval("document.querySelector('video').play().then(() => true)");
            page.waitFor("document.querySelector('video').ended", Duration.ofSeconds(20));
            page.waitFor("document.querySelector('#credit').innerText.includes('Hoàn thành')", Duration.ofSeconds(15));
            page.waitFor("window.phocapEvents.some(e => e.name === 'lesson-completed')", Duration.ofSeconds(15));
            page.screenshot(Path.of("target", "app-3-lesson-completed.png"));

            // Off the network: the heartbeat is kept on the phone and said so; back on, it is replayed
            // (heartbeats:batch).
            page.offline(true);
            page.eval("window.phocapBeat().then(() => true)");
            assertEquals(
                    1,
                    page.eval("JSON.parse(localStorage.getItem('phocap.pending') || '[]').length")
                            .asInt());
            assertTrue(page.eval("document.querySelector('#notice').innerText")
                    .asText()
                    .contains("Mất kết nối"));
            page.screenshot(Path.of("target", "app-3b-offline.png"));
            page.offline(false);
            page.eval("window.phocapBeat().then(() => true)");
            page.waitFor("localStorage.getItem('phocap.pending') === null", Duration.ofSeconds(10));

            // The final quiz: the right answer, submitted; passed; the course completes and the certificate is issued.
            page.eval("location.hash = '#/quiz/" + course + "/" + quiz + "'");
            page.waitFor("document.querySelector('input[value=A]')", Duration.ofSeconds(15));
            page.eval("document.querySelector('input[value=A]').click()");
            // Autosaved before it is submitted.
            page.waitFor("document.querySelector('#saved').innerText.startsWith('Đã lưu')", Duration.ofSeconds(10));
            page.eval("document.querySelector('#submit').click()");
            page.waitFor(
                    "document.querySelector('#result') && document.querySelector('#result').innerText.startsWith('Đạt')",
                    Duration.ofSeconds(15));
            page.waitFor("window.phocapEvents.some(e => e.name === 'certificate-issued')", Duration.ofSeconds(20));
            assertTrue(page.eval("window.phocapEvents.some(e => e.name === 'course-completed')")
                    .asBoolean());
            page.screenshot(Path.of("target", "app-4-quiz-passed.png"));

            // The certificate, and its PDF.
            page.eval("location.hash = '#/certificates'");
            page.waitFor("document.querySelector('[data-pdf]')", Duration.ofSeconds(15));
            page.screenshot(Path.of("target", "app-5-certificates.png"));
            page.eval("document.querySelector('[data-pdf]').click()");
            page.waitFor("window.phocapLastPdf", Duration.ofSeconds(20));
            JsonNode pdf = page.eval("window.phocapLastPdf");
            assertEquals("application/pdf", pdf.path("type").asText(), pdf.toString());
            assertTrue(pdf.path("size").asInt() > 10_000, pdf.toString());

            // The server drops the stream (the learner opens three more elsewhere: the oldest is closed
            // with retry:); an announcement goes out while the app is away; it arrives after the app
            // reconnects with a fresh ticket, replayed from the last event it saw.
            page.eval("location.hash = '#/course/" + course + "'");
            page.waitFor("window.phocapStream && window.phocapStream.source.readyState === 1", Duration.ofSeconds(15));
            int connections = page.eval("window.phocapStream.connections").asInt();
            String learner = given().contentType(ContentType.JSON)
                    .body(Map.of("username", PHONE, "password", PIN))
                    .post("/api/v1/auth/login")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("accessToken");
            List<SseReader> others = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    others.add(SseReader.open(app.base(), "api/v1/me/courses/" + course + "/stream", learner, null));
                }
                page.waitFor("window.phocapStream.source.readyState === 2", Duration.ofSeconds(10));
                given().auth()
                        .oauth2(admin)
                        .contentType(ContentType.JSON)
                        .body(Map.of("text", "Tối nay có buổi hỗ trợ qua Zalo"))
                        .post("/api/v1/courses/" + course + "/broadcast")
                        .then()
                        .statusCode(202);
                page.waitFor(
                        "window.phocapStream.connections > " + connections
                                + " && document.querySelector('#announcements').innerText.includes('Tối nay có buổi hỗ trợ qua Zalo')",
                        Duration.ofSeconds(20));
            } finally {
                others.forEach(SseReader::close);
            }
            assertTrue(
                    page.eval("window.phocapStream.last !== null").asBoolean(), "reconnected with the last event seen");
            page.screenshot(Path.of("target", "app-6-reconnected.png"));

            // Support contacts of the learner's area, and a PIN change that the next sign-in uses.
            given().auth()
                    .oauth2(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of(
                            "hotline",
                            "0211 3 824 000",
                            "contacts",
                            List.of(Map.of("name", "Nguyễn Văn An", "role", "Tổ trưởng", "phone", "0912 000 111"))))
                    .put("/api/v1/localities/LA1/support")
                    .then()
                    .statusCode(200);
            page.eval("location.hash = '#/support'");
            page.waitFor(
                    "document.body.innerText.includes('0211 3 824 000') && document.body.innerText.includes('Nguyễn Văn An')",
                    Duration.ofSeconds(10));
            page.screenshot(Path.of("target", "app-7-support.png"));
            page.eval("location.hash = '#/pin'");
            page.waitFor("document.querySelector('#next')", Duration.ofSeconds(10));
            String newPin = Secrets.remember("135792");
            fill(page, Map.of("#current", PIN, "#next", newPin));
            page.eval("document.querySelector('button[type=submit]').click()");
            try {
                page.waitFor(
                        "document.querySelector('#notice').innerText.includes('Đã đổi mã PIN')",
                        Duration.ofSeconds(10));
            } finally {
                page.screenshot(Path.of("target", "app-8-pin-changed.png"));
            }
            given().contentType(ContentType.JSON)
                    .body(Map.of("username", PHONE, "password", newPin))
                    .post("/api/v1/auth/login")
                    .then()
                    .statusCode(200);
            assertTrue(
                    page.console().stream().noneMatch(l -> l.startsWith("exception")),
                    String.join("\n", page.console()));
        }
    }

    static void fill(Browser.Page page, Map<String, String> values) throws Exception {
        for (var field : values.entrySet()) {
            page.eval("(() => { const input = document.querySelector('" + field.getKey() + "'); input.value = "
                    + new ObjectMapper().writeValueAsString(field.getValue())
                    + "; input.dispatchEvent(new Event('input')); return true; })()");
        }
    }

    static JsonNode waitForImport(String admin, long importId) throws Exception {
        for (int i = 0; i < 100; i++) {
            JsonNode status = new ObjectMapper()
                    .readTree(given().auth()
                            .oauth2(admin)
                            .get("/api/v1/imports/" + importId)
                            .asString());
            if (!status.path("status").asText().matches("PENDING|RUNNING")) {
                return status;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("import " + importId + " did not finish");
    }

    /** One 3-second video (the demo's clip) and a one-question final quiz, as a .zip package. */
    static long publishCourse(String admin) throws Exception {
        Map<String, Object> pkg = Map.of(
                "code",
                "APP-TEST",
                "title",
                "Video ngắn trong ứng dụng",
                "language",
                "vi",
                "modules",
                List.of(Map.of(
                        "code",
                        "M1",
                        "title",
                        "Bắt đầu",
                        "lessons",
                        List.of(Map.of(
                                "code",
                                "L1",
                                "title",
                                "Video ngắn",
                                "kind",
                                "VIDEO",
                                "durationSec",
                                3,
                                "media",
                                "clip.mp4",
                                "completion",
                                Map.of("minCoverage", 0.9))))),
                "quizzes",
                List.of(Map.of(
                        "code",
                        "QF",
                        "title",
                        "Bài kiểm tra cuối",
                        "questionsPerAttempt",
                        1,
                        "timeLimitSec",
                        300,
                        "maxAttempts",
                        3,
                        "passScore",
                        50,
                        "questions",
                        List.of(Map.of(
                                "code",
                                "Q1",
                                "text",
                                "1 + 1 bằng mấy?",
                                "kind",
                                "SINGLE",
                                "options",
                                List.of(
                                        Map.of("key", "A", "text", "2", "correct", true),
                                        Map.of("key", "B", "text", "3", "correct", false)))))),
                "completion",
                Map.of("lessons", "ALL", "quizzes", List.of("QF")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("course.json"));
            zip.write(new ObjectMapper().writeValueAsBytes(pkg));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("clip.mp4"));
            zip.write(Files.readAllBytes(Path.of("src", "main", "resources", "demo", "kns-co-ban", "m1-l1.mp4")));
            zip.closeEntry();
        }
        return given().auth()
                .oauth2(admin)
                .contentType("application/zip")
                .body(out.toByteArray())
                .post("/api/v1/courses")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
    }
}
