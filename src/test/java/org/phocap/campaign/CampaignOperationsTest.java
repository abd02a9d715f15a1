package org.phocap.campaign;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phocap.platform.Api;
import org.phocap.platform.PostgresResource;
import org.phocap.platform.SseReader;
import org.phocap.platform.TestClock;

/** Support per locality, at-risk lists and announcements, over HTTP against a real database. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class CampaignOperationsTest {
    static final String P = "OP";
    static final AtomicInteger PHONES = new AtomicInteger();
    static long course;
    static long lesson;
    static long campaign;
    static long openWave;
    static long closedWave;

    @Inject
    TestClock clock;

    @TestHTTPResource("/")
    URL base;

    record Learner(String token, long id, String phone) {}

    @BeforeEach
    void setUp() {
        clock.release();
        if (campaign != 0) {
            return;
        }
        Api.treeOnce(P);
        Map<String, Object> reading = Map.of(
                "code",
                "R1",
                "title",
                "Bài đọc",
                "kind",
                "READING",
                "durationSec",
                600,
                "body",
                "Nội dung",
                "completion",
                Map.of("minCoverage", 0.9));
        course = as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "code",
                        "OPS-COURSE",
                        "title",
                        "Khóa vận hành",
                        "language",
                        "vi",
                        "modules",
                        List.of(Map.of("code", "M1", "title", "Mô-đun", "lessons", List.of(reading)))))
                .post("/api/v1/courses")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        lesson = as(admin())
                .get("/api/v1/courses/" + course)
                .then()
                .extract()
                .jsonPath()
                .getLong("modules[0].lessons[0].id");
        campaign = as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "Vận hành",
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
        openWave = wave("Đợt đang mở", now.minus(Duration.ofDays(3)), now.plus(Duration.ofDays(3)));
        closedWave = wave("Đợt đã đóng", now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(5)));
    }

    @AfterEach
    void realTime() {
        clock.release();
    }

    private static long wave(String name, Instant opens, Instant closes) {
        return as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name", name, "opensAt", opens.toString(), "closesAt", closes.toString(), "capacity", 1000))
                .post("/api/v1/campaigns/" + campaign + "/waves")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    private static Learner learner(String village, long wave) {
        String phone = Api.phone(83, PHONES.incrementAndGet());
        String token = Api.enrolledLearner(P, campaign, phone, "Người Học " + PHONES.get(), village);
        long id = as(token)
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("id");
        assign(id, wave);
        return new Learner(token, id, Api.e164(phone));
    }

    private static void assign(long learnerId, long wave) {
        as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of("learnerIds", List.of(learnerId)))
                .post("/api/v1/campaigns/" + campaign + "/waves/" + wave + "/learners")
                .then()
                .statusCode(200);
    }

    /** Reads for a minute at the given (test-clock) time, which credits time and starts the enrolment. */
    private void studyAt(Learner l, Instant at) {
        for (int seq = 1; seq <= 2; seq++) {
            Instant t = at.plusSeconds(30L * (seq - 1));
            clock.set(t);
            as(l.token())
                    .header("X-Device-Id", "d" + l.id())
                    .contentType(ContentType.JSON)
                    .body(Map.of(
                            "lessonId",
                            lesson,
                            "sessionId",
                            "s" + l.id() + at.getEpochSecond(),
                            "seq",
                            seq,
                            "positionSec",
                            0,
                            "playing",
                            true,
                            "sentAt",
                            t.toString()))
                    .post("/api/v1/me/heartbeats")
                    .then()
                    .statusCode(200);
        }
        clock.release();
    }

    private static List<Long> atRisk(String token, String query) {
        return as(token)
                .get("/api/v1/campaigns/" + campaign + "/at-risk?size=500&" + query)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.learnerId", Long.class);
    }

    @Test
    void atRiskListsFindEachKindOfLearnerToCall() {
        // Imported but never activated.
        String phone = Api.phone(83, PHONES.incrementAndGet());
        long importId = Api.upload(
                admin(),
                campaign,
                (Api.ROSTER_HEADER + "Chưa Kích Hoạt," + phone + ",1970,Nam,Kinh," + P + "1-1-2,VILLAGE,\n")
                        .getBytes(StandardCharsets.UTF_8),
                "text/csv");
        Api.finished(admin(), importId);
        Learner notStarted = learner(P + "1-1-1", openWave);
        Learner stalled = learner(P + "1-1-1", openWave);
        Learner stalledInClosedWave = learner(P + "1-1-1", closedWave);
        Learner active = learner(P + "1-1-1", openWave);
        Instant now = Instant.now();
        studyAt(stalled, now.minus(Duration.ofHours(30)));
        studyAt(stalledInClosedWave, now.minus(Duration.ofDays(7)));
        studyAt(active, now.minus(Duration.ofMinutes(5)));
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> !atRisk(admin(), "status=STALLED&idleHours=24").isEmpty());

        JsonPath notActivated = as(admin())
                .get("/api/v1/campaigns/" + campaign + "/at-risk?status=NOT_ACTIVATED&size=500")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertTrue(notActivated.getList("items.phone").contains(Api.e164(phone)), notActivated.prettify());
        List<Long> ids = List.of(notStarted.id(), stalled.id(), stalledInClosedWave.id(), active.id());
        assertTrue(notActivated.getList("items.learnerId", Long.class).stream().noneMatch(ids::contains));

        List<Long> waiting = atRisk(admin(), "status=NOT_STARTED");
        assertTrue(waiting.contains(notStarted.id()));
        assertFalse(waiting.contains(stalled.id())
                || waiting.contains(active.id())
                || waiting.contains(stalledInClosedWave.id()));

        JsonPath stalledList = as(admin())
                .get("/api/v1/campaigns/" + campaign + "/at-risk?status=STALLED&idleHours=24")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(List.of(stalled.id()), stalledList.getList("items.learnerId", Long.class));
        assertEquals(stalled.phone(), stalledList.getString("items[0].phone"));
        assertEquals("Đợt đang mở", stalledList.getString("items[0].wave"));
        assertEquals(1, stalledList.getInt("items[0].totalLessons"));
        assertTrue(Duration.between(Instant.parse(stalledList.getString("items[0].lastActivityAt")), now)
                        .toHours()
                >= 29);
        // Idle for 30 hours is not idle for 48; a learner in a closed wave is never STALLED.
        assertTrue(atRisk(admin(), "status=STALLED&idleHours=48").isEmpty());

        // Scope: the other district's supporter sees none of them; the CSV holds the same learners.
        String otherDistrict = Api.supporter("op-sup-d2", P + "2");
        assertTrue(atRisk(otherDistrict, "status=NOT_STARTED").stream().noneMatch(ids::contains));
        assertTrue(as(otherDistrict)
                .get("/api/v1/campaigns/" + campaign + "/at-risk?status=NOT_STARTED&size=500")
                .then()
                .extract()
                .jsonPath()
                .getList("items.localityCode", String.class)
                .stream()
                .allMatch(c -> c.startsWith(P + "2")));
        String csv = as(admin())
                .accept("text/csv")
                .get("/api/v1/campaigns/" + campaign + "/at-risk?status=NOT_STARTED")
                .then()
                .statusCode(200)
                .contentType("text/csv;charset=UTF-8")
                .extract()
                .asString();
        assertEquals(
                waiting.stream().map(String::valueOf).collect(Collectors.toList()),
                csv.lines()
                        .skip(1)
                        .map(line -> line.substring(0, line.indexOf(',')))
                        .toList());
        as(admin())
                .get("/api/v1/campaigns/" + campaign + "/at-risk?status=LOST")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("status"));
        as(admin())
                .get("/api/v1/campaigns/" + campaign + "/at-risk?status=STALLED&idleHours=0")
                .then()
                .statusCode(400);
        as(notStarted.token())
                .get("/api/v1/campaigns/" + campaign + "/at-risk?status=STALLED")
                .then()
                .statusCode(403);
    }

    @Test
    void supportResolvesToTheNearestLocalityUpTheTree() {
        Learner village = learner(P + "1-1-1", openWave);
        Learner elsewhere = learner(P + "2-1-1", openWave);
        as(village.token()).get("/api/v1/me/support").then().statusCode(404).contentType("application/problem+json");
        put(
                        P,
                        Map.of(
                                "channelUrl",
                                "https://zalo.me/g/tinh-op",
                                "hotline",
                                "1900 1234",
                                "contacts",
                                List.of(Map.of("name", "Trần Văn Tỉnh", "role", "Điều phối", "phone", "0912 000 001"))))
                .then()
                .statusCode(200);
        put(
                        P + "1-1",
                        Map.of(
                                "channelUrl",
                                "https://zalo.me/g/xa-dong-tam",
                                "contacts",
                                List.of(Map.of("name", "Lê Thị Xã", "role", "Tổ hỗ trợ xã", "phone", "0912 000 002"))))
                .then()
                .statusCode(200)
                .body("locality", equalTo("Xã Đồng Tâm"));
        as(village.token())
                .get("/api/v1/me/support")
                .then()
                .statusCode(200)
                .body("localityCode", equalTo(P + "1-1"))
                .body("channelUrl", equalTo("https://zalo.me/g/xa-dong-tam"))
                .body("contacts[0].name", equalTo("Lê Thị Xã"));
        as(elsewhere.token())
                .get("/api/v1/me/support")
                .then()
                .statusCode(200)
                .body("localityCode", equalTo(P))
                .body("hotline", equalTo("1900 1234"));
        // A supporter acts only inside their scope; bad links and numbers are refused.
        String otherDistrict = Api.supporter("op-sup-d2b", P + "2");
        as(otherDistrict)
                .contentType(ContentType.JSON)
                .body(Map.of("contacts", List.of()))
                .put("/api/v1/localities/" + P + "1-1/support")
                .then()
                .statusCode(404);
        as(otherDistrict)
                .contentType(ContentType.JSON)
                .body(Map.of("hotline", "0211 3 999 999", "contacts", List.of()))
                .put("/api/v1/localities/" + P + "2-1/support")
                .then()
                .statusCode(200);
        as(elsewhere.token()).get("/api/v1/me/support").then().body("localityCode", equalTo(P + "2-1"));
        put(P, Map.of("channelUrl", "javascript:alert(1)", "contacts", List.of()))
                .then()
                .statusCode(400);
        put(P, Map.of("contacts", List.of(Map.of("name", "X", "phone", "gọi tôi"))))
                .then()
                .statusCode(400);
    }

    @Test
    void announcementsReachExactlyTheTargetedStreamsAndLaterConnections() throws Exception {
        Learner district1 = learner(P + "1-1-1", openWave);
        Learner district2 = learner(P + "2-1-1", openWave);
        String stream = "api/v1/me/courses/" + course + "/stream";
        try (SseReader one = SseReader.open(base, stream, district1.token(), null);
                SseReader two = SseReader.open(base, stream, district2.token(), null)) {
            one.untilReady();
            two.untilReady();
            as(admin())
                    .contentType(ContentType.JSON)
                    .body(Map.of(
                            "campaignId", campaign, "localityCode", P + "1", "text", "Huyện Một: hạn chót thứ Sáu"))
                    .post("/api/v1/announcements")
                    .then()
                    .statusCode(201)
                    .body("delivered", org.hamcrest.Matchers.greaterThan(0));
            as(admin())
                    .contentType(ContentType.JSON)
                    .body(Map.of("campaignId", campaign, "text", "Toàn tỉnh: hệ thống bảo trì 22 giờ"))
                    .post("/api/v1/announcements")
                    .then()
                    .statusCode(201);
            SseReader.Event first = nextAnnouncement(one);
            assertTrue(first.data().contains("Huyện Một: hạn chót thứ Sáu"), first.data());
            assertTrue(nextAnnouncement(one).data().contains("Toàn tỉnh"));
            // The other district's learner gets only the campaign-wide one.
            assertTrue(nextAnnouncement(two).data().contains("Toàn tỉnh"));
        }
        // Connected afterwards: the snapshot carries the ones still current for this learner.
        Learner later = learner(P + "1-1-2", openWave);
        try (SseReader stream1 = SseReader.open(base, stream, later.token(), null)) {
            List<String> shown = stream1.untilReady().stream()
                    .filter(e -> "announcement".equals(e.name()))
                    .map(SseReader.Event::data)
                    .toList();
            assertEquals(
                    2,
                    shown.stream()
                            .filter(d -> d.contains("Huyện Một: hạn chót") || d.contains("Toàn tỉnh"))
                            .count(),
                    shown.toString());
        }
        Learner laterElsewhere = learner(P + "2-1-1", openWave);
        try (SseReader stream2 = SseReader.open(base, stream, laterElsewhere.token(), null)) {
            List<String> shown = stream2.untilReady().stream()
                    .filter(e -> "announcement".equals(e.name()))
                    .map(SseReader.Event::data)
                    .toList();
            assertTrue(shown.stream().noneMatch(d -> d.contains("Huyện Một")), shown.toString());
            assertTrue(shown.stream().anyMatch(d -> d.contains("Toàn tỉnh")), shown.toString());
        }
        // A wave-targeted announcement: shown to that wave's learners only.
        as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "campaignId",
                        campaign,
                        "waveId",
                        openWave,
                        "text",
                        "Đợt đang mở: làm bài kiểm tra trước Chủ nhật"))
                .post("/api/v1/announcements")
                .then()
                .statusCode(201);
        Learner inOpenWave = learner(P + "2-1-1", openWave);
        Learner inClosedWave = learner(P + "2-1-1", closedWave);
        try (SseReader open = SseReader.open(base, stream, inOpenWave.token(), null)) {
            assertTrue(open.untilReady().stream().anyMatch(e -> e.data().contains("Đợt đang mở: làm bài")));
        }
        try (SseReader closed = SseReader.open(base, stream, inClosedWave.token(), null)) {
            List<SseReader.Event> shown = closed.untilReady();
            assertTrue(shown.stream().noneMatch(e -> e.data().contains("Đợt đang mở: làm bài")), shown.toString());
            assertTrue(shown.stream().anyMatch(e -> e.data().contains("Toàn tỉnh")), shown.toString());
        }
        // Scope and validation.
        String otherDistrict = Api.supporter("op-sup-d2c", P + "2");
        as(otherDistrict)
                .contentType(ContentType.JSON)
                .body(Map.of("campaignId", campaign, "localityCode", P + "1", "text", "x"))
                .post("/api/v1/announcements")
                .then()
                .statusCode(403)
                .body("detail", containsString("outside your scope"));
        as(otherDistrict)
                .contentType(ContentType.JSON)
                .body(Map.of("campaignId", campaign, "text", "x"))
                .post("/api/v1/announcements")
                .then()
                .statusCode(403)
                .body("detail", containsString("name a locality"));
        as(otherDistrict)
                .contentType(ContentType.JSON)
                .body(Map.of("campaignId", campaign, "localityCode", P + "2", "text", "Xã Hợp Thịnh"))
                .post("/api/v1/announcements")
                .then()
                .statusCode(201);
        as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of("campaignId", campaign, "waveId", 99999999, "text", "x"))
                .post("/api/v1/announcements")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("waveId"));
        as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of("campaignId", campaign, "text", " "))
                .post("/api/v1/announcements")
                .then()
                .statusCode(400);
    }

    private static SseReader.Event nextAnnouncement(SseReader stream) {
        SseReader.Event event = stream.next();
        while (!"announcement".equals(event.name())) {
            event = stream.next();
        }
        return event;
    }

    private static io.restassured.response.Response put(String code, Map<String, Object> body) {
        return as(admin()).contentType(ContentType.JSON).body(body).put("/api/v1/localities/" + code + "/support");
    }
}
