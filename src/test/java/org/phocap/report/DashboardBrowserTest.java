package org.phocap.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.phocap.platform.Api;
import org.phocap.platform.Browser;
import org.phocap.platform.PostgresResource;
import org.phocap.platform.Secrets;

/**
 * The province dashboard (/dashboard/) in headless Chromium: a district supporter signs in and sees
 * only their district in the report; the live counters (EventSource with a stream ticket) move when
 * a learner of that district completes the course; the at-risk call list downloads as CSV.
 * Screenshots: target/dashboard-*.png.
 */
@Tag("browser")
@QuarkusTest
@WithTestResource(PostgresResource.class)
class DashboardBrowserTest {
    static final String P = "DB";

    @TestHTTPResource("/")
    URL base;

    @Test
    void aDistrictSupporterSeesTheirDistrictWatchesACompletionAndDownloadsTheCallList() throws Exception {
        Api.treeOnce(P);
        // A course one short reading lesson long: completed two heartbeats apart.
        Map<String, Object> pkg = Map.of(
                "code",
                "DASH-COURSE",
                "title",
                "Khóa ngắn",
                "language",
                "vi",
                "modules",
                List.of(Map.of(
                        "code",
                        "M1",
                        "title",
                        "Một",
                        "lessons",
                        List.of(Map.of(
                                "code",
                                "L1",
                                "title",
                                "Đọc nhanh",
                                "kind",
                                "READING",
                                "durationSec",
                                2,
                                "body",
                                "Một trang.",
                                "completion",
                                Map.of("minCoverage", 0.5))))),
                "quizzes",
                List.of(),
                "completion",
                Map.of("lessons", "ALL", "quizzes", List.of()));
        long course = as(admin())
                .contentType(ContentType.JSON)
                .body(pkg)
                .post("/api/v1/courses")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        long lesson = as(admin())
                .get("/api/v1/courses/" + course)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("modules[0].lessons[0].id");
        long campaign = Api.campaignTeaching(P, "Bảng điều hành " + P, List.of(course));
        long wave = Api.openWave(campaign);
        String mine = Api.enrolledLearner(P, campaign, Api.phone(63, 1), "Nguyễn Thị Một", P + "1-1-1");
        String theirs = Api.enrolledLearner(P, campaign, Api.phone(63, 2), "Lê Văn Hai", P + "2-1-1");
        Api.assign(campaign, wave, List.of(id(mine), id(theirs)));
        Api.supporter("hotro.db1", P + "1");

        try (Browser browser = Browser.launch("dashboard");
                Browser.Page page = browser.open(base + "dashboard/", 412, 915)) {
            page.waitFor("document.querySelector('#username')", Duration.ofSeconds(10));
            page.eval(
                    "document.querySelector('#username').value = 'hotro.db1'; document.querySelector('#password').value = "
                            + new ObjectMapper().writeValueAsString(Secrets.remember("supporter-pass-hotro.db1"))
                            + "; true");
            page.eval("document.querySelector('#f').requestSubmit(); true");
            page.waitFor("document.querySelector('#campaign')", Duration.ofSeconds(10));
            page.eval("(() => { const s = document.querySelector('#campaign'); s.value = '" + campaign
                    + "'; s.dispatchEvent(new Event('change')); return true; })()");

            // The report: the supporter's district only.
            page.waitFor("document.querySelectorAll('#report tr[data-key]').length > 0", Duration.ofSeconds(10));
            JsonNode rows = page.eval("[...document.querySelectorAll('#report tr[data-key]')].map(r => r.dataset.key)");
            assertEquals(
                    List.of(P + "1"),
                    new ObjectMapper().convertValue(rows, List.class),
                    "only the supporter's district");
            assertTrue(
                    !page.eval("document.body.innerText").asText().contains("Huyện Hai"),
                    "the other district is not shown");

            // Live counters: 1 enrolled in scope, none completed; then the learner completes.
            page.waitFor("document.querySelector('[data-counter=\"Hoàn thành\"]')", Duration.ofSeconds(10));
            assertEquals(
                    "0",
                    page.eval("document.querySelector('[data-counter=\"Hoàn thành\"]').innerText")
                            .asText());
            assertEquals(
                    "1",
                    page.eval("document.querySelector('[data-counter=\"Ghi danh\"]').innerText")
                            .asText());
            page.screenshot(Path.of("target", "dashboard-1-before.png"));
            int events = page.eval("window.phocapLive.events").asInt();
            read(mine, lesson);
            page.waitFor(
                    "document.querySelector('[data-counter=\"Hoàn thành\"]').innerText === '1'",
                    Duration.ofSeconds(15));
            assertTrue(page.eval("window.phocapLive.events").asInt() > events, "a new counters event");
            page.screenshot(Path.of("target", "dashboard-2-completed.png"));

            // The call list of those not yet activated downloads as CSV (nobody in scope: the header only).
            page.eval("document.querySelector('#csv').click(); true");
            page.waitFor("window.phocapLastCsv", Duration.ofSeconds(10));
            JsonNode csv = page.eval("window.phocapLastCsv");
            assertTrue(csv.path("type").asText().startsWith("text/csv"), csv.toString());
            assertTrue(
                    csv.path("firstLine").asText().contains("phone")
                            || csv.path("firstLine").asText().contains("Số điện thoại"),
                    "a header row: " + csv);
        }
    }

    static long id(String token) {
        return as(token)
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    /** Two heartbeats of the page being read, 1.5 s apart: the 2-second lesson is completed. */
    static void read(String token, long lesson) throws InterruptedException {
        for (int seq = 1; seq <= 2; seq++) {
            as(token)
                    .header("X-Device-Id", "dash-test")
                    .contentType(ContentType.JSON)
                    .body("{\"lessonId\":" + lesson + ",\"sessionId\":\"dash\",\"seq\":" + seq + ",\"positionSec\":"
                            + (seq - 1) * 1.5 + ",\"playing\":true,\"sentAt\":\"" + Instant.now() + "\"}")
                    .post("/api/v1/me/heartbeats")
                    .then()
                    .statusCode(200);
            if (seq == 1) {
                Thread.sleep(1500);
            }
        }
    }
}
