package org.phocap.certificate;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.awt.image.BufferedImage;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phocap.certificate.CertificateCourse.Learner;
import org.phocap.platform.Api;
import org.phocap.platform.InApp;
import org.phocap.platform.InProcessOnly;
import org.phocap.platform.Management;
import org.phocap.platform.PostgresResource;
import org.phocap.platform.SseReader;
import org.phocap.platform.TestClock;
import org.phocap.platform.TestDatabase;

/** Completion, issue exactly once, the PDF, verification and revocation, end to end over HTTP. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class CertificateTest {
    static final CertificateCourse COURSE = new CertificateCourse("CT", 81);
    static final String VERIFY_BASE = "https://xacminh.example.vn/verify/";

    final TestClock clock = InApp.bean(TestClock.class);

    final Pool pool = InApp.bean(Pool.class);

    @TestHTTPResource("/")
    URL base;

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

    @Test
    @InProcessOnly("sets the application's clock")
    void theLastRequiredItemIssuesOneCertificateAnnouncedOnTheStream() throws Exception {
        Learner l = COURSE.learner("Nguyễn Thị Hồng Nhung");
        COURSE.readLesson(l, clock);
        COURSE.pass(l, COURSE.quizA);
        as(l.token()).get("/api/v1/me/certificates").then().statusCode(200).body("size()", equalTo(0));
        try (SseReader stream =
                SseReader.open(base, "api/v1/me/courses/" + COURSE.course + "/stream", l.token(), null)) {
            stream.untilReady();
            COURSE.pass(l, COURSE.quizB);
            List<String> seen = new ArrayList<>();
            SseReader.Event issued = null;
            while (issued == null) {
                SseReader.Event event = stream.next();
                seen.add(event.name());
                if ("certificate-issued".equals(event.name())) {
                    issued = event;
                }
            }
            assertTrue(seen.contains("course-completed"), seen.toString());
            assertTrue(seen.indexOf("course-completed") < seen.indexOf("certificate-issued"), seen.toString());
            String serial = JsonPath.from(issued.data()).getString("serial");
            assertTrue(serial.matches("CT-2026-\\d{6}-[0-9A-Z*]"), serial);
            String verifyUrl = JsonPath.from(issued.data()).getString("verifyUrl");
            assertTrue(
                    verifyUrl.matches(java.util.regex.Pattern.quote(VERIFY_BASE + serial) + "\\?c=[0-9A-F]{16}"),
                    verifyUrl);
            assertEquals(
                    "/api/v1/certificates/" + serial + ".pdf",
                    JsonPath.from(issued.data()).getString("pdfUrl"));
        }
        List<Map<String, Object>> mine = CertificateCourse.certificates(l, 1);
        assertEquals(1, mine.size());
        assertEquals("Nguyễn Thị Hồng Nhung", mine.get(0).get("holderName"));
        assertEquals("Kỹ năng số cơ bản", mine.get(0).get("course"));
        assertEquals("Thôn Một, Xã Đồng Tâm, Huyện Một CT, Tỉnh CT", mine.get(0).get("locality"));
        // Passing the quiz again, and asking again, changes nothing.
        COURSE.pass(l, COURSE.quizB);
        assertEquals(
                1,
                as(l.token())
                        .get("/api/v1/me/certificates")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("$")
                        .size());
        assertEquals(1L, count("SELECT count(*) FROM course_completion WHERE learner_id = $1", l.id()));
        assertEquals(1L, count("SELECT count(*) FROM certificate WHERE learner_id = $1", l.id()));
        // The campaign report counts completions from the same transaction: one per certificate here.
        long certificates = as(admin())
                .get("/api/v1/certificates?campaignId=" + COURSE.campaign)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("total");
        as(admin())
                .get("/api/v1/campaigns/" + COURSE.campaign + "/report")
                .then()
                .statusCode(200)
                .body("totals.completed", equalTo((int) certificates))
                .body("totals.started", org.hamcrest.Matchers.greaterThanOrEqualTo((int) certificates));
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void racingCompletionsIssueExactlyOneCertificateEachAndNumbersStayGapFree() throws Exception {
        List<Learner> learners = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Learner l = COURSE.learner("Trần Văn Đua " + i);
            COURSE.readLesson(l, clock);
            learners.add(l);
        }
        ExecutorService pool4 = Executors.newFixedThreadPool(4);
        try {
            for (Learner l : learners) {
                long a = COURSE.startAttempt(l, COURSE.quizA);
                long b = COURSE.startAttempt(l, COURSE.quizB);
                // Both last items passed at once, while the learner also opens their certificates
                // (which re-checks completion): three evaluations race for the one completion.
                CyclicBarrier start = new CyclicBarrier(4);
                List<Callable<Integer>> calls = List.of(
                        () -> {
                            start.await();
                            return COURSE.submit(l, a, CertificateCourse.RIGHT).statusCode();
                        },
                        () -> {
                            start.await();
                            return COURSE.submit(l, b, CertificateCourse.RIGHT).statusCode();
                        },
                        () -> {
                            start.await();
                            return as(l.token()).get("/api/v1/me/certificates").statusCode();
                        },
                        () -> {
                            start.await();
                            return as(l.token()).get("/api/v1/me/certificates").statusCode();
                        });
                for (Future<Integer> f : pool4.invokeAll(calls)) {
                    assertEquals(200, f.get());
                }
            }
        } finally {
            pool4.shutdownNow();
        }
        Set<String> serials = new HashSet<>();
        for (Learner l : learners) {
            List<Map<String, Object>> mine = CertificateCourse.certificates(l, 1);
            assertEquals(1, mine.size(), "learner " + l.id());
            serials.add((String) mine.get(0).get("serial"));
            assertEquals(1L, count("SELECT count(*) FROM certificate WHERE learner_id = $1", l.id()));
            assertEquals(1L, count("SELECT count(*) FROM course_completion WHERE learner_id = $1", l.id()));
        }
        assertEquals(learners.size(), serials.size());
        // Numbers are 1..n for the campaign: none repeated, none skipped.
        assertEquals(
                count("SELECT count(*) FROM certificate WHERE campaign_id = $1", COURSE.campaign),
                count("SELECT max(number) FROM certificate WHERE campaign_id = $1", COURSE.campaign));
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void aFailedRequiredQuizMeansNoCertificate() {
        Learner l = COURSE.learner("Lê Thị Chưa Đạt");
        COURSE.readLesson(l, clock);
        COURSE.pass(l, COURSE.quizA);
        COURSE.submit(l, COURSE.startAttempt(l, COURSE.quizB), CertificateCourse.WRONG)
                .then()
                .statusCode(200)
                .body("passed", equalTo(false));
        as(l.token()).get("/api/v1/me/certificates").then().statusCode(200).body("size()", equalTo(0));
        as(l.token())
                .get("/api/v1/me/progress?courseId=" + COURSE.course)
                .then()
                .statusCode(200)
                .body("completed", equalTo(false));
        assertEquals(0L, count("SELECT count(*) FROM certificate WHERE learner_id = $1", l.id()));
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void thePdfIsA4LandscapeWithTheNameAsTextAndAQrCodeOfTheVerificationUrl() throws Exception {
        Learner l = COURSE.learner("Phạm Thị Ngọc Ánh");
        COURSE.complete(l, clock);
        String serial = (String) CertificateCourse.certificates(l, 1).get(0).get("serial");
        byte[] pdf = as(l.token())
                .get("/api/v1/certificates/" + serial + ".pdf")
                .then()
                .statusCode(200)
                .contentType("application/pdf")
                .extract()
                .asByteArray();
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            assertEquals(1, doc.getNumberOfPages());
            PDPage page = doc.getPage(0);
            assertEquals(842, Math.round(page.getMediaBox().getWidth()));
            assertEquals(595, Math.round(page.getMediaBox().getHeight()));
            String text = new PDFTextStripper().getText(doc);
            assertTrue(text.contains("Phạm Thị Ngọc Ánh"), text);
            assertTrue(text.contains("GIẤY CHỨNG NHẬN"), text);
            assertTrue(text.contains("Kỹ năng số cơ bản"), text);
            assertTrue(text.contains("Chiến dịch Chuyển đổi số CT"), text);
            assertTrue(text.contains("Năm sinh: 1990"), text);
            assertTrue(text.contains("Số hiệu: " + serial), text);
            assertTrue(text.contains("ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM"), text);
            for (var name : page.getResources().getFontNames()) {
                PDFont font = page.getResources().getFont(name);
                assertTrue(font.isEmbedded(), font.getName() + " must be embedded");
            }
            BufferedImage image = new PDFRenderer(doc).renderImageWithDPI(0, 150);
            // Kept for a person to look at: target/certificate-sample.pdf and .png.
            java.nio.file.Files.write(java.nio.file.Path.of("target/certificate-sample.pdf"), pdf);
            javax.imageio.ImageIO.write(image, "png", new java.io.File("target/certificate-sample.png"));
            // Decoded from a 300 dpi rendering: at 150 dpi the modules fall between pixels and the
            // reader failed one certificate's checksum in many runs (a print scans sharper than that).
            BufferedImage sharp = new PDFRenderer(doc).renderImageWithDPI(0, 300);
            var decoded = new QRCodeReader()
                    .decode(
                            new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(sharp))),
                            Map.of(DecodeHintType.TRY_HARDER, true));
            assertTrue(
                    decoded.getText()
                            .matches(java.util.regex.Pattern.quote(VERIFY_BASE + serial) + "\\?c=[0-9A-F]{16}"),
                    "the QR code opens the page with the verification code: " + decoded.getText());
        }
        // Cached after the first render: the same bytes again; and a fresh render is identical too.
        assertArrayEquals(
                pdf,
                as(admin())
                        .get("/api/v1/certificates/" + serial + ".pdf")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asByteArray());
        assertEquals(1L, count("SELECT count(*) FROM certificate_pdf WHERE serial = $1", serial));
        // Stored as it was sent, without PostgreSQL's compression attempt (V25: a deflated PDF does
        // not compress, and the attempt was most of the insert's cost).
        assertEquals(
                1L,
                count(
                        "SELECT count(*) FROM certificate_pdf WHERE serial = $1 AND pg_column_compression(pdf) IS NULL"
                                + " AND length(pdf) = " + pdf.length
                                + " AND (SELECT attstorage FROM pg_attribute WHERE attrelid = 'certificate_pdf'::regclass"
                                + " AND attname = 'pdf') = 'e'",
                        serial));
        pool.preparedQuery("DELETE FROM certificate_pdf WHERE serial = $1")
                .execute(Tuple.of(serial))
                .await()
                .indefinitely();
        assertArrayEquals(
                pdf,
                as(l.token())
                        .get("/api/v1/certificates/" + serial + ".pdf")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asByteArray());
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void aBurstOfFirstDownloadsPastTheRenderBoundIsAnswered503AtOnceAndEachPdfComesOnRetry() throws Exception {
        // The test profile allows 1 render at a time (phocap.certificate.max-pending-renders).
        List<Learner> learners = new ArrayList<>();
        List<String> serials = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Learner l = COURSE.learner("Lê Thị Tải " + i);
            COURSE.complete(l, clock);
            learners.add(l);
        }
        for (Learner l : learners) {
            serials.add((String) CertificateCourse.certificates(l, 1).get(0).get("serial"));
        }
        ExecutorService burst = Executors.newFixedThreadPool(learners.size());
        List<io.restassured.response.Response> answers = new ArrayList<>();
        try {
            CyclicBarrier start = new CyclicBarrier(learners.size());
            List<Callable<io.restassured.response.Response>> calls = new ArrayList<>();
            for (int i = 0; i < learners.size(); i++) {
                Learner l = learners.get(i);
                String path = "/api/v1/certificates/" + serials.get(i) + ".pdf";
                calls.add(() -> {
                    start.await();
                    return as(l.token()).get(path);
                });
            }
            for (Future<io.restassured.response.Response> f : burst.invokeAll(calls)) {
                answers.add(f.get());
            }
        } finally {
            burst.shutdownNow();
        }
        int refused = 0;
        int longestWait = 0;
        for (io.restassured.response.Response answer : answers) {
            if (answer.statusCode() == 503) {
                refused++;
                assertTrue(answer.contentType().startsWith("application/problem+json"), answer.contentType());
                assertTrue(answer.jsonPath().getString("type").endsWith("/overloaded"), answer.asString());
                int wait = Integer.parseInt(answer.header("Retry-After"));
                assertTrue(wait >= 1 && wait <= 5, "Retry-After " + wait);
                longestWait = Math.max(longestWait, wait);
            }
        }
        // The refused clients wait as told and ask again, one after another: each PDF is made then.
        Thread.sleep(longestWait * 1000L);
        for (int i = 0; i < answers.size(); i++) {
            io.restassured.response.Response answer = answers.get(i).statusCode() == 503
                    ? as(learners.get(i).token()).get("/api/v1/certificates/" + serials.get(i) + ".pdf")
                    : answers.get(i);
            assertEquals(200, answer.statusCode(), answer.asString());
            assertEquals("application/pdf", answer.contentType());
            assertTrue(answer.asString().startsWith("%PDF-"), "a PDF");
        }
        assertTrue(refused > 0, "8 first downloads at once meet a bound of 1 render");
        assertTrue(refused < answers.size(), "the bound's own renders are answered");
        for (String serial : serials) {
            assertEquals(1L, count("SELECT count(*) FROM certificate_pdf WHERE serial = $1", serial), serial);
        }
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void onlyTheHolderAndStaffInScopeGetThePdf() {
        Learner holder = COURSE.learner("Hoàng Văn Chủ", COURSE.p + "2-1-1");
        Learner other = COURSE.learner("Vũ Thị Khác");
        COURSE.complete(holder, clock);
        String serial =
                (String) CertificateCourse.certificates(holder, 1).get(0).get("serial");
        String path = "/api/v1/certificates/" + serial + ".pdf";
        as(holder.token()).get(path).then().statusCode(200);
        as(admin()).get(path).then().statusCode(200);
        as(other.token()).get(path).then().statusCode(404).contentType("application/problem+json");
        as(Api.supporter("ct-sup-d2", COURSE.p + "2")).get(path).then().statusCode(200);
        as(Api.supporter("ct-sup-d1", COURSE.p + "1")).get(path).then().statusCode(404);
        RestAssured.given().get(path).then().statusCode(401);
        as(holder.token())
                .get("/api/v1/certificates/" + mistype(serial) + ".pdf")
                .then()
                .statusCode(404)
                .body("type", endsWith("/certificate-not-found"));
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void verificationAnswersValidRevokedUnknownAndMistyped() {
        Learner l = COURSE.learner("Đặng Thị Xác Minh");
        COURSE.complete(l, clock);
        Map<String, Object> issued = CertificateCourse.certificates(l, 1).get(0);
        String serial = (String) issued.get("serial");
        String code = code(issued);
        // The serial alone: valid or revoked and the initials, nothing that would make a register.
        RestAssured.given()
                .get("/api/v1/public/certificates/" + serial)
                .then()
                .statusCode(200)
                .body("valid", equalTo(true))
                .body("holderInitials", equalTo("Đ. T. X. M."))
                .body("detailsShown", equalTo(false))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("holderName")))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("locality")));
        RestAssured.given()
                .get("/api/v1/public/certificates/" + serial + "?code=0000000000000000")
                .then()
                .statusCode(200)
                .body("detailsShown", equalTo(false));
        // With the code printed beside it (?c=, as in the QR code's URL; ?code= works too): the holder's details.
        RestAssured.given()
                .get("/api/v1/public/certificates/" + serial + "?c=" + code)
                .then()
                .statusCode(200)
                .body("detailsShown", equalTo(true))
                .body("holderName", equalTo("Đặng Thị Xác Minh"));
        RestAssured.given()
                .get("/api/v1/public/certificates/" + serial + "?c=0000000000000000")
                .then()
                .statusCode(200)
                .body("detailsShown", equalTo(false));
        RestAssured.given()
                .get("/api/v1/public/certificates/" + serial + "?code=" + code.toLowerCase())
                .then()
                .statusCode(200)
                .body("serial", equalTo(serial))
                .body("valid", equalTo(true))
                .body("revoked", equalTo(false))
                .body("holderName", equalTo("Đặng Thị Xác Minh"))
                .body("course", equalTo("Kỹ năng số cơ bản"))
                .body("campaign", equalTo("Chiến dịch Chuyển đổi số CT"))
                .body("locality", startsWith("Thôn Một, Xã Đồng Tâm"))
                .body("issuedAt", org.hamcrest.Matchers.notNullValue())
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("birthYear")));
        // Lower case and surrounding space are read as the same serial.
        RestAssured.given()
                .get("/api/v1/public/certificates/" + serial.toLowerCase())
                .then()
                .statusCode(200)
                .body("serial", equalTo(serial));

        double mistypedBefore = metric("mistyped");
        RestAssured.given()
                .get("/api/v1/public/certificates/" + mistype(serial))
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", endsWith("/certificate-not-found"))
                .body("detail", containsString("mistyped"));
        RestAssured.given()
                .get("/api/v1/public/certificates/not-a-serial")
                .then()
                .statusCode(404)
                .body("detail", containsString("mistyped"));
        assertEquals(mistypedBefore + 2, metric("mistyped"));
        String unknown = Serials.of("CT", 2026, 999_999);
        double unknownBefore = metric("unknown");
        RestAssured.given()
                .get("/api/v1/public/certificates/" + unknown)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.not(containsString("mistyped")));
        assertEquals(unknownBefore + 1, metric("unknown"));

        String revoke = "/api/v1/certificates/" + serial + "/revoke";
        as(Api.supporter("ct-sup-all", COURSE.p))
                .contentType(ContentType.JSON)
                .body(Map.of("reason", "x"))
                .post(revoke)
                .then()
                .statusCode(403);
        as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of("reason", " "))
                .post(revoke)
                .then()
                .statusCode(400);
        RestAssured.given().get("/api/v1/public/certificates/" + serial).then().body("valid", equalTo(true));
        as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of("reason", "Học thay người khác"))
                .post(revoke)
                .then()
                .statusCode(200)
                .body("revoked", equalTo(true))
                .body("revokeReason", equalTo("Học thay người khác"));
        as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of("reason", "again"))
                .post(revoke)
                .then()
                .statusCode(409)
                .body("type", endsWith("/already-revoked"));
        // Audited once (the refused attempts are not entries): who, which certificate, why.
        var audit = as(admin())
                .get("/api/v1/audit?learnerId=" + l.id())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(
                List.of("certificate-revoked"),
                audit.getList("items.findAll { it.action == 'certificate-revoked' }.action"));
        assertEquals("admin", audit.getString("items.find { it.action == 'certificate-revoked' }.staffUsername"));
        assertEquals(serial, audit.getString("items.find { it.action == 'certificate-revoked' }.detail.serial"));
        for (String query : List.of("", "?code=" + code)) {
            RestAssured.given()
                    .get("/api/v1/public/certificates/" + serial + query)
                    .then()
                    .statusCode(200)
                    .body("valid", equalTo(false))
                    .body("revoked", equalTo(true))
                    .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("revokeReason")))
                    .body(org.hamcrest.Matchers.not(containsString("Học thay")))
                    .body("revokedAt", org.hamcrest.Matchers.notNullValue());
        }
        as(l.token()).get("/api/v1/me/certificates").then().body("[0].revoked", equalTo(true));
        as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of("reason", "x"))
                .post("/api/v1/certificates/" + unknown + "/revoke")
                .then()
                .statusCode(404);
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void theVerificationPageSaysValidRevokedOrNotFoundInVietnamese() {
        Learner l = COURSE.learner("Bùi Thị Trang");
        COURSE.complete(l, clock);
        Map<String, Object> issued = CertificateCourse.certificates(l, 1).get(0);
        String serial = (String) issued.get("serial");
        String code = code(issued);
        RestAssured.given()
                .get("/verify/" + serial)
                .then()
                .statusCode(200)
                .body(containsString("B. T. T."))
                .body(org.hamcrest.Matchers.not(containsString("Bùi Thị Trang")));
        for (String path : List.of("/verify/", "/api/v1/verify/")) {
            RestAssured.given()
                    .get(path + serial + "?c=" + code)
                    .then()
                    .statusCode(200)
                    .contentType(containsString("text/html"))
                    .header("Content-Language", "vi")
                    .body(containsString("Bùi Thị Trang"))
                    .body(containsString("Giấy chứng nhận hợp lệ"))
                    .body(containsString("Kỹ năng số cơ bản"))
                    .body(containsString("name=\"viewport\""));
        }
        RestAssured.given()
                .get("/verify/" + mistype(serial))
                .then()
                .statusCode(404)
                .contentType(containsString("text/html"))
                .body(containsString("Không tìm thấy giấy chứng nhận"))
                .body(org.hamcrest.Matchers.not(containsString("Bùi Thị Trang")));
        RestAssured.given()
                .get("/verify/" + Serials.of("CT", 2026, 999_998))
                .then()
                .statusCode(404)
                .body(containsString("Không tìm thấy giấy chứng nhận"));
        RestAssured.given()
                .get("/verify/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
                .then()
                .statusCode(404)
                .body(org.hamcrest.Matchers.not(containsString("<script>")));
        as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of("reason", "Sai thông tin người học"))
                .post("/api/v1/certificates/" + serial + "/revoke")
                .then()
                .statusCode(200);
        RestAssured.given()
                .get("/verify/" + serial + "?c=" + code)
                .then()
                .statusCode(200)
                .body(containsString("Giấy chứng nhận đã bị thu hồi"))
                .body(org.hamcrest.Matchers.not(containsString("Sai thông tin")))
                .body(org.hamcrest.Matchers.not(containsString("hợp lệ")));
    }

    @Test
    @InProcessOnly("sets the application's clock")
    void staffListCertificatesInScopeWithFiltersAndTheCsvMatches() {
        Learner d1 = COURSE.learner("Ngô Văn Một");
        Learner d2 = COURSE.learner("Ngô Văn Hai", COURSE.p + "2-1-1");
        COURSE.complete(d1, clock);
        COURSE.complete(d2, clock);
        String s1 = (String) CertificateCourse.certificates(d1, 1).get(0).get("serial");
        String s2 = (String) CertificateCourse.certificates(d2, 1).get(0).get("serial");
        String base = "/api/v1/certificates?campaignId=" + COURSE.campaign;
        JsonPath all = as(admin())
                .get(base + "&size=500")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<String> serials = all.getList("items.serial");
        assertTrue(serials.containsAll(List.of(s1, s2)), serials.toString());
        assertEquals(serials.size(), all.getInt("total"));

        List<String> district2 = as(admin())
                .get(base + "&localityCode=" + COURSE.p + "2&size=500")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.serial");
        assertTrue(district2.contains(s2) && !district2.contains(s1), district2.toString());
        List<String> supporter = as(Api.supporter("ct-sup-list", COURSE.p + "1"))
                .get(base + "&size=500")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.serial");
        assertTrue(supporter.contains(s1) && !supporter.contains(s2), supporter.toString());

        Instant future = Instant.now().plus(Duration.ofDays(1));
        as(admin()).get(base + "&issuedFrom=" + future).then().statusCode(200).body("total", equalTo(0));
        as(admin())
                .get(base + "&issuedTo=" + future + "&size=500")
                .then()
                .statusCode(200)
                .body("total", equalTo(serials.size()));
        as(admin())
                .get(base + "&issuedFrom=yesterday")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("issuedFrom"));
        as(admin()).get(base + "&size=501").then().statusCode(400);
        as(d1.token()).get(base).then().statusCode(403);

        // The CSV export streams in chunks (two rows each in tests) and holds exactly the JSON listing.
        String csv = as(admin())
                .accept("text/csv")
                .get(base)
                .then()
                .statusCode(200)
                .contentType(containsString("text/csv"))
                .extract()
                .asString();
        List<String> lines = csv.lines().toList();
        assertEquals(
                "serial,holder_name,birth_year,locality_code,locality,course,campaign_id,campaign,issued_at,"
                        + "revoked_at,revoke_reason",
                lines.get(0));
        assertEquals(
                serials,
                lines.subList(1, lines.size()).stream()
                        .map(line -> line.substring(0, line.indexOf(',')))
                        .toList());
        assertTrue(csv.contains("Ngô Văn Hai"), csv);
        String supporterCsv = as(Api.supporter("ct-sup-list2", COURSE.p + "1"))
                .accept("text/csv")
                .get(base)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertEquals(supporter.size() + 1, supporterCsv.lines().count());
    }

    @Test
    void campaignPrefixesDefaultToTheLocalityInitialsAndNeverRepeatWithinAYear() {
        assertEquals(
                "CT",
                campaign(2031, null)
                        .then()
                        .statusCode(201)
                        .body("issuingBody", equalTo("Ủy ban nhân dân Tỉnh CT"))
                        .extract()
                        .path("certificatePrefix"));
        assertEquals(
                "CT2", campaign(2031, null).then().statusCode(201).extract().path("certificatePrefix"));
        campaign(2031, "CT")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("certificatePrefix"))
                .body("errors[0].message", containsString("already used"));
        assertEquals("CT", campaign(2032, "CT").then().statusCode(201).extract().path("certificatePrefix"));
        campaign(2031, "vp-1").then().statusCode(400).body("errors[0].field", containsString("certificatePrefix"));
    }

    private static io.restassured.response.Response campaign(int year, String prefix) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of(
                "name",
                "Chiến dịch " + year,
                "year",
                year,
                "localityCode",
                COURSE.p,
                "courseIds",
                List.of(),
                "targetLearners",
                10));
        if (prefix != null) {
            body.put("certificatePrefix", prefix);
        }
        return as(admin()).contentType(ContentType.JSON).body(body).post("/api/v1/campaigns");
    }

    /** The serial with one character of its number changed: the check character no longer matches. */
    /** The verification code from a certificate's verifyUrl (…/verify/SERIAL?c=CODE). */
    static String code(Map<String, Object> certificate) {
        return ((String) certificate.get("verifyUrl")).replaceAll(".*\\?c=", "");
    }

    static String mistype(String serial) {
        char[] chars = serial.toCharArray();
        int i = serial.length() - 3;
        chars[i] = chars[i] == '9' ? '8' : (char) (chars[i] + 1);
        return new String(chars);
    }

    private long count(String sql, Object arg) {
        Long n = TestDatabase.first(pool, sql, arg).getLong(0);
        return n == null ? 0 : n;
    }

    private static double metric(String result) {
        String metrics = RestAssured.given()
                .get(Management.url("/q/metrics"))
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return metrics.lines()
                .filter(line -> line.startsWith("phocap_certificate_verifications_total{")
                        && line.contains("result=\"" + result + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElse(0);
    }
}
