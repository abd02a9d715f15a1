package org.phocap.certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.File;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.phocap.certificate.CertificateCourse.Learner;
import org.phocap.platform.PostgresResource;
import org.phocap.platform.TestClock;

/**
 * The verification page as a phone's browser shows it: headless Chromium loads /verify/{serial}
 * from the running app, and the rendered DOM must carry the holder's name and the verdict.
 * Screenshots land in target/ (verify-valid.png, verify-revoked.png, verify-not-found.png).
 * Chromium comes from Debian's package; .ci/run installs it when it is missing.
 */
@Tag("browser")
@QuarkusTest
@WithTestResource(PostgresResource.class)
class VerifyPageBrowserTest {
    static final CertificateCourse COURSE = new CertificateCourse("CB", 82);

    @Inject
    TestClock clock;

    @TestHTTPResource("/verify/")
    URL verify;

    @AfterEach
    void realTime() {
        clock.release();
    }

    @Test
    void chromiumShowsTheNameAndTheVerdict() throws Exception {
        COURSE.ready();
        Learner valid = COURSE.learner("Trịnh Thị Diệu Linh");
        Learner revoked = COURSE.learner("Lý Văn Quyết");
        COURSE.complete(valid, clock);
        COURSE.complete(revoked, clock);
        Map<String, Object> validCertificate =
                CertificateCourse.certificates(valid, 1).get(0);
        Map<String, Object> revokedCertificate =
                CertificateCourse.certificates(revoked, 1).get(0);
        String validSerial = (String) validCertificate.get("serial");
        String revokedSerial = (String) revokedCertificate.get("serial");
        // What the QR code opens: the serial with its verification code.
        String validLink = validSerial + "?c=" + CertificateTest.code(validCertificate);
        String revokedLink = revokedSerial + "?c=" + CertificateTest.code(revokedCertificate);
        as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of("reason", "Người học nhờ người khác học thay"))
                .post("/api/v1/certificates/" + revokedSerial + "/revoke")
                .then()
                .statusCode(200);

        String dom = chromium("--dump-dom", verify + validLink);
        assertTrue(dom.contains("Trịnh Thị Diệu Linh"), dom);
        assertTrue(dom.contains("Giấy chứng nhận hợp lệ"), dom);
        assertTrue(dom.contains("data-status=\"valid\""), dom);

        dom = chromium("--dump-dom", verify + revokedLink);
        assertTrue(dom.contains("Lý Văn Quyết"), dom);
        assertTrue(dom.contains("Giấy chứng nhận đã bị thu hồi"), dom);
        assertTrue(!dom.contains("Người học nhờ người khác học thay"), "no revocation reason in public: " + dom);

        // The serial typed by hand, without the code: the verdict and the initials only.
        dom = chromium("--dump-dom", verify + validSerial);
        assertTrue(dom.contains("T. T. D. L."), dom);
        assertTrue(!dom.contains("Trịnh Thị Diệu Linh"), dom);

        dom = chromium("--dump-dom", verify + CertificateTest.mistype(validSerial));
        assertTrue(dom.contains("Không tìm thấy giấy chứng nhận"), dom);

        screenshot(verify + validLink, "verify-valid.png");
        screenshot(verify + revokedLink, "verify-revoked.png");
        screenshot(verify + validSerial, "verify-serial-only.png");
        screenshot(verify + CertificateTest.mistype(validSerial), "verify-not-found.png");
    }

    private static void screenshot(String url, String name) throws Exception {
        Path file = Path.of("target", name).toAbsolutePath();
        Files.deleteIfExists(file);
        chromium("--screenshot=" + file, "--window-size=412,915", "--hide-scrollbars", url);
        assertTrue(Files.size(file) > 1000, "screenshot " + file + " written");
    }

    /** Runs headless Chromium with the given arguments and answers what it printed on standard output. */
    private static String chromium(String... args) throws Exception {
        String binary = findChromium();
        assertNotNull(
                binary,
                "Chromium is not installed: run .ci/run (it installs Debian's chromium) "
                        + "or apt-get install chromium, or point PHOCAP_CHROMIUM at the binary");
        List<String> command = new ArrayList<>(List.of(
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--user-data-dir=" + Path.of("target", "chromium-profile").toAbsolutePath()));
        command.addAll(List.of(args));
        File out = File.createTempFile("chromium", ".out");
        File err = Path.of("target", "chromium.log").toFile();
        Process process = new ProcessBuilder(command)
                .redirectOutput(out)
                .redirectError(ProcessBuilder.Redirect.appendTo(err))
                .start();
        assertTrue(process.waitFor(90, TimeUnit.SECONDS), "chromium finished");
        assertEquals(0, process.exitValue(), "chromium exit code; see target/chromium.log");
        String printed = Files.readString(out.toPath(), StandardCharsets.UTF_8);
        Files.delete(out.toPath());
        return printed;
    }

    private static String findChromium() {
        String configured = System.getenv("PHOCAP_CHROMIUM");
        if (configured != null && new File(configured).canExecute()) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
                File candidate = new File(dir, name);
                if (candidate.canExecute()) {
                    return candidate.getAbsolutePath();
                }
            }
        }
        return null;
    }
}
