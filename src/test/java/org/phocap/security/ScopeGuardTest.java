package org.phocap.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phocap.certificate.CertificateCourse;
import org.phocap.platform.Api;
import org.phocap.platform.Management;
import org.phocap.platform.PostgresResource;
import org.phocap.platform.Secrets;
import org.phocap.platform.TestClock;

/**
 * Every staff endpoint, called by staff of another district: a SUPPORTER and a district ADMIN of
 * SG2 reaching for things of district SG1. Reads answer 404, writes 403 or 404, lists leave SG1 out.
 * The table must name every staff operation in /q/openapi: a new one fails the test until listed.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ScopeGuardTest {
    static final String P = "SG";
    static final CertificateCourse COURSE = new CertificateCourse(P, 93);

    /** What an out-of-scope caller must get. */
    enum Expect {
        NOT_FOUND,
        REFUSED,
        LIST_WITHOUT_TARGET,
        SAME_FOR_ALL_STAFF,
        ADMIN_LIST_WITHOUT_TARGET
    }

    record Call(
            String method,
            String template,
            Expect expect,
            Function<Fixture, String> path,
            Function<Fixture, Object> body,
            String contentType) {}

    /** The things of district SG1 that the calls aim at. */
    record Fixture(
            long campaign,
            long wave,
            long importId,
            long learnerId,
            String learnerName,
            String serial,
            long course,
            long lesson,
            long flag) {}

    static final List<Call> CALLS = List.of(
            // Campaign-keyed reads on a campaign over district SG1.
            read("GET", "/api/v1/campaigns/{id}", f -> "/api/v1/campaigns/" + f.campaign()),
            read("GET", "/api/v1/campaigns/{id}/waves", f -> "/api/v1/campaigns/" + f.campaign() + "/waves"),
            read(
                    "GET",
                    "/api/v1/campaigns/{id}/waves/{waveId}",
                    f -> "/api/v1/campaigns/" + f.campaign() + "/waves/" + f.wave()),
            read("GET", "/api/v1/campaigns/{id}/learners", f -> "/api/v1/campaigns/" + f.campaign() + "/learners"),
            read(
                    "GET",
                    "/api/v1/campaigns/{id}/at-risk",
                    f -> "/api/v1/campaigns/" + f.campaign() + "/at-risk?status=NOT_ACTIVATED"),
            read("GET", "/api/v1/campaigns/{id}/report", f -> "/api/v1/campaigns/" + f.campaign() + "/report"),
            read(
                    "GET",
                    "/api/v1/campaigns/{id}/leaderboard",
                    f -> "/api/v1/campaigns/" + f.campaign() + "/leaderboard"),
            read("GET", "/api/v1/campaigns/{id}/live", f -> "/api/v1/campaigns/" + f.campaign() + "/live"),
            read(
                    "GET",
                    "/api/v1/campaigns/{id}/integrity-flags",
                    f -> "/api/v1/campaigns/" + f.campaign() + "/integrity-flags"),
            read("GET", "/api/v1/imports/{id}", f -> "/api/v1/imports/" + f.importId()),
            read("GET", "/api/v1/imports/{id}/events", f -> "/api/v1/imports/" + f.importId() + "/events"),
            read("GET", "/api/v1/imports/{id}/rejected.csv", f -> "/api/v1/imports/" + f.importId() + "/rejected.csv"),
            read(
                    "GET",
                    "/api/v1/imports/{id}/activation-codes.csv",
                    f -> "/api/v1/imports/" + f.importId() + "/activation-codes.csv"),
            read("GET", "/api/v1/learners/{id}", f -> "/api/v1/learners/" + f.learnerId()),
            read("GET", "/api/v1/localities/{code}", f -> "/api/v1/localities/" + P + "1-1"),
            read("GET", "/api/v1/localities/{code}/children", f -> "/api/v1/localities/" + P + "1-1/children"),
            read("GET", "/api/v1/localities/{code}/support", f -> "/api/v1/localities/" + P + "1-1/support"),
            read("GET", "/api/v1/certificates/{serial}.pdf", f -> "/api/v1/certificates/" + f.serial() + ".pdf"),
            new Call(
                    "GET",
                    "/api/v1/campaigns",
                    Expect.LIST_WITHOUT_TARGET,
                    f -> "/api/v1/campaigns?size=100",
                    null,
                    null),
            new Call(
                    "GET",
                    "/api/v1/certificates",
                    Expect.LIST_WITHOUT_TARGET,
                    f -> "/api/v1/certificates?size=100",
                    null,
                    null),
            // Course content is the same for every locality: any staff member reads it.
            new Call(
                    "GET",
                    "/api/v1/courses/{id}",
                    Expect.SAME_FOR_ALL_STAFF,
                    f -> "/api/v1/courses/" + f.course(),
                    null,
                    null),
            new Call(
                    "GET",
                    "/api/v1/lessons/{id}",
                    Expect.SAME_FOR_ALL_STAFF,
                    f -> "/api/v1/lessons/" + f.lesson(),
                    null,
                    null),
            new Call(
                    "GET",
                    "/api/v1/lessons/{id}/media",
                    Expect.SAME_FOR_ALL_STAFF,
                    f -> "/api/v1/lessons/" + f.lesson() + "/media",
                    null,
                    null),
            new Call(
                    "HEAD",
                    "/api/v1/lessons/{id}/media",
                    Expect.SAME_FOR_ALL_STAFF,
                    f -> "/api/v1/lessons/" + f.lesson() + "/media",
                    null,
                    null),
            // Writes.
            write(
                    "POST",
                    "/api/v1/staff",
                    f -> "/api/v1/staff",
                    f -> Map.of(
                            "username",
                            "sg.escalated",
                            "password",
                            "escalated-pass",
                            "role",
                            "ADMIN",
                            "scope",
                            List.of("*"),
                            "fullName",
                            "Leo thang")),
            write(
                    "PUT",
                    "/api/v1/localities",
                    f -> "/api/v1/localities",
                    f -> "code,name,level,parent_code\n" + P + "1,Đổi tên,2," + P + "\n",
                    "text/csv"),
            write(
                    "PUT",
                    "/api/v1/localities/{code}/support",
                    f -> "/api/v1/localities/" + P + "1-1/support",
                    f -> Map.of("contacts", List.of(Map.of("name", "Kẻ lạ", "phone", "0987654321")))),
            write(
                    "POST",
                    "/api/v1/campaigns",
                    f -> "/api/v1/campaigns",
                    f -> Map.of(
                            "name",
                            "Chiếm",
                            "year",
                            2026,
                            "localityCode",
                            P + "1",
                            "courseIds",
                            List.of(),
                            "targetLearners",
                            10)),
            write(
                    "POST",
                    "/api/v1/campaigns/{id}/waves",
                    f -> "/api/v1/campaigns/" + f.campaign() + "/waves",
                    f -> Map.of(
                            "name",
                            "Đợt lạ",
                            "opensAt",
                            "2026-12-01T00:00:00Z",
                            "closesAt",
                            "2026-12-05T00:00:00Z",
                            "capacity",
                            10)),
            write(
                    "POST",
                    "/api/v1/campaigns/{id}/waves/{waveId}/learners",
                    f -> "/api/v1/campaigns/" + f.campaign() + "/waves/" + f.wave() + "/learners",
                    f -> Map.of("learnerIds", List.of(f.learnerId()))),
            write(
                    "POST",
                    "/api/v1/campaigns/{id}/wave-plan",
                    f -> "/api/v1/campaigns/" + f.campaign() + "/wave-plan",
                    f -> Map.of(
                            "startsOn", "2026-12-01", "waveDays", 5, "maxConcurrent", 100, "learnersPerSupporter", 50)),
            write(
                    "POST",
                    "/api/v1/campaigns/{id}/wave-plan/apply",
                    f -> "/api/v1/campaigns/" + f.campaign() + "/wave-plan/apply",
                    f -> Map.of(
                            "startsOn", "2026-12-01", "waveDays", 5, "maxConcurrent", 100, "learnersPerSupporter", 50)),
            write(
                    "POST",
                    "/api/v1/campaigns/{id}/roster",
                    f -> "/api/v1/campaigns/" + f.campaign() + "/roster",
                    f -> Api.ROSTER_HEADER + "Chiếm Đoạt," + Api.phone(94, 1) + ",1990,Nữ,Kinh," + P
                            + "2-1-1,VILLAGE,\n",
                    "text/csv"),
            write(
                    "POST",
                    "/api/v1/announcements",
                    f -> "/api/v1/announcements",
                    f -> Map.of("campaignId", f.campaign(), "text", "Tin giả")),
            write(
                    "POST",
                    "/api/v1/certificates/{serial}/revoke",
                    f -> "/api/v1/certificates/" + f.serial() + "/revoke",
                    f -> Map.of("reason", "Thu hồi trái phép")),
            write(
                    "POST",
                    "/api/v1/courses",
                    f -> "/api/v1/courses",
                    f -> Map.of(
                            "code",
                            "SG-EVIL",
                            "title",
                            "Khóa lạ",
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
                                            "Bài",
                                            "kind",
                                            "READING",
                                            "durationSec",
                                            60,
                                            "body",
                                            "Nội dung",
                                            "completion",
                                            Map.of("minCoverage", 0.5))))),
                            "completion",
                            Map.of("lessons", "ALL"))),
            write(
                    "PUT",
                    "/api/v1/lessons/{id}/media",
                    f -> "/api/v1/lessons/" + f.lesson() + "/media",
                    f -> "not a video",
                    "video/mp4"),
            write(
                    "POST",
                    "/api/v1/courses/{id}/broadcast",
                    f -> "/api/v1/courses/" + f.course() + "/broadcast",
                    f -> Map.of("text", "Phát tán")),
            write(
                    "POST",
                    "/api/v1/learners/{id}/activation-code",
                    f -> "/api/v1/learners/" + f.learnerId() + "/activation-code",
                    f -> Map.of()),
            // Integrity: the campaign's certificate policy, and a review of district one's learner's flag.
            read(
                    "GET",
                    "/api/v1/campaigns/{id}/certificate-policy",
                    f -> "/api/v1/campaigns/" + f.campaign() + "/certificate-policy"),
            write(
                    "PUT",
                    "/api/v1/campaigns/{id}/certificate-policy",
                    f -> "/api/v1/campaigns/" + f.campaign() + "/certificate-policy",
                    f -> Map.of("FAST_QUIZ", "HOLD_FLAGGED")),
            write(
                    "POST",
                    "/api/v1/integrity-flags/{flagId}/review",
                    f -> "/api/v1/integrity-flags/" + f.flag() + "/review",
                    f -> Map.of("decision", "CONFIRMED")),
            // The audit log: ADMINs only, and only entries inside their scope (district one's wave moves are not).
            new Call(
                    "GET",
                    "/api/v1/audit",
                    Expect.ADMIN_LIST_WITHOUT_TARGET,
                    f -> "/api/v1/audit?size=500",
                    null,
                    null));

    /** Operations that are not staff endpoints: a learner's own, sign-in, and the public register. */
    static boolean staffOperation(String path) {
        return !(path.startsWith("/api/v1/me")
                || path.startsWith("/api/v1/auth/")
                || path.startsWith("/api/v1/public/")
                || path.startsWith("/verify/")
                || path.startsWith("/api/v1/verify/")
                || path.startsWith("/q/"));
    }

    static Fixture fixture;
    static String outSupporter;
    static String outAdmin;

    @Inject
    TestClock clock;

    @BeforeEach
    void setUp() {
        if (fixture != null) {
            return;
        }
        COURSE.ready();
        CertificateCourse.Learner holder = COURSE.learner("Người Có Bằng", P + "1-1-1");
        COURSE.complete(holder, clock);
        String serial =
                (String) CertificateCourse.certificates(holder, 1).get(0).get("serial");

        long campaign = Api.campaign(P + "1");
        long wave = Api.openWave(campaign);
        String districtOne = Api.supporter("sg.district1", P + "1");
        String csv = Api.ROSTER_HEADER + "Người Huyện Một," + Api.phone(94, 2) + ",1985,Nam,Kinh," + P
                + "1-1-2,VILLAGE,\n" + "Dòng Lỗi," + Api.phone(94, 3) + ",1985,Nam,Kinh,KHONG-CO,VILLAGE,\n";
        long importId = Api.upload(districtOne, campaign, csv.getBytes(StandardCharsets.UTF_8), "text/csv");
        JsonPath done = Api.finished(districtOne, importId);
        assertEquals(1, done.getInt("created"));
        assertEquals(1, done.getInt("rejected"));
        JsonPath learners = as(admin())
                .get("/api/v1/campaigns/" + campaign + "/learners")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        long learnerId = learners.getLong("items[0].id");
        // The holder's quizzes were fast: a FAST_QUIZ flag of district one's learner, for the review call.
        long[] flag = new long[1];
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> {
                    List<Integer> ids = as(admin())
                            .get("/api/v1/campaigns/" + COURSE.campaign + "/integrity-flags?kind=FAST_QUIZ")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getList("items.id");
                    flag[0] = ids.isEmpty() ? 0 : ids.get(0);
                    return !ids.isEmpty();
                });
        fixture = new Fixture(
                campaign,
                wave,
                importId,
                learnerId,
                "Người Huyện Một",
                serial,
                COURSE.course,
                COURSE.lessonId,
                flag[0]);
        // An audit entry of district one's campaign, which the out-of-scope ADMIN must not read.
        Api.assign(campaign, wave, List.of(learnerId));
        org.junit.jupiter.api.Assertions.assertTrue(as(admin())
                        .get("/api/v1/audit?campaignId=" + campaign)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getInt("total")
                > 0);

        as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "hotline",
                        "0211 3862 000",
                        "contacts",
                        List.of(Map.of("name", "Cán bộ xã", "phone", "0211 3862 001"))))
                .put("/api/v1/localities/" + P + "1-1/support")
                .then()
                .statusCode(200);
        outSupporter = Api.supporter("sg.out.supporter", P + "2");
        String adminPassword = Secrets.remember("district-admin-pass");
        as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "username",
                        "sg.out.admin",
                        "password",
                        adminPassword,
                        "role",
                        "ADMIN",
                        "scope",
                        List.of(P + "2"),
                        "fullName",
                        "Quản trị huyện Hai"))
                .post("/api/v1/staff")
                .then()
                .statusCode(201);
        outAdmin = Api.login("sg.out.admin", adminPassword).getString("accessToken");
    }

    @Test
    void theTableNamesEveryStaffOperationOfTheOpenApiDocument() {
        JsonPath doc = Management.openApi();
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        Set<String> documented = new TreeSet<>();
        paths.forEach((path, operations) -> operations.keySet().stream()
                .filter(m ->
                        Set.of("get", "post", "put", "patch", "delete", "head").contains(m))
                .forEach(m -> {
                    if (staffOperation(path)) {
                        documented.add(m.toUpperCase() + " " + path);
                    }
                }));
        Set<String> listed = new TreeSet<>();
        CALLS.forEach(c -> listed.add(c.method() + " " + c.template()));
        Set<String> missing = new TreeSet<>(documented);
        missing.removeAll(listed);
        assertTrue(missing.isEmpty(), "staff operations missing from ScopeGuardTest.CALLS: " + missing);
        Set<String> stale = new TreeSet<>(listed);
        stale.removeAll(documented);
        assertTrue(stale.isEmpty(), "listed but not in /q/openapi: " + stale);
    }

    @Test
    void aSupporterOfAnotherDistrictReachesNothingOfThisOne() {
        assertEveryCall(outSupporter, "supporter of " + P + "2");
    }

    @Test
    void anAdminOfAnotherDistrictReachesNothingOfThisOne() {
        assertEveryCall(outAdmin, "district ADMIN of " + P + "2");
    }

    @Test
    void theWholeTreeAdminReachesEveryTargetOfTheReads() {
        // Shows the reads aim at things that exist: the same calls answer 200 in scope.
        for (Call call : CALLS) {
            if (call.expect() == Expect.NOT_FOUND
                    && !call.template().endsWith("/events")
                    && !call.template().endsWith("/live")) {
                int status = send(admin(), call).statusCode();
                assertEquals(200, status, call.method() + " " + call.path().apply(fixture));
            }
        }
    }

    @Test
    void aDistrictAdminWorksInsideItsSubtreeAndCannotCrossItsBoundary() {
        // Staff inside the scope: allowed; the whole tree or a neighbour's district: refused.
        as(outAdmin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "username",
                        "sg.two.helper",
                        "password",
                        "helper-pass-2",
                        "role",
                        "SUPPORTER",
                        "scope",
                        List.of(P + "2-1"),
                        "fullName",
                        "Người giúp xã"))
                .post("/api/v1/staff")
                .then()
                .statusCode(201);
        as(outAdmin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "username",
                        "sg.two.wide",
                        "password",
                        "helper-pass-2",
                        "role",
                        "ADMIN",
                        "scope",
                        List.of(P),
                        "fullName",
                        "Leo thang"))
                .post("/api/v1/staff")
                .then()
                .statusCode(403);
        // The tree: a new village and a rename inside are fine; moving a commune out, or the district itself, is not.
        String tree = "code,name,level,parent_code\n";
        as(outAdmin)
                .contentType("text/csv; charset=UTF-8")
                .body(tree + P + "2-1-9,Thôn Mới,4," + P + "2-1\n" + P + "2-1,Xã Hợp Thịnh Mới,3," + P + "2\n")
                .put("/api/v1/localities")
                .then()
                .statusCode(200);
        as(outAdmin)
                .contentType("text/csv; charset=UTF-8")
                .body(tree + P + "2-1,Xã Hợp Thịnh,3," + P + "1\n")
                .put("/api/v1/localities")
                .then()
                .statusCode(403);
        as(outAdmin)
                .contentType("text/csv; charset=UTF-8")
                .body(tree + P + "2,Huyện Hai " + P + ",2,\n")
                .put("/api/v1/localities")
                .then()
                .statusCode(403);
        as(outAdmin)
                .contentType("text/csv; charset=UTF-8")
                .body(tree + P + "1-1,Xã Kéo Về,3," + P + "2\n")
                .put("/api/v1/localities")
                .then()
                .statusCode(403);
        as(admin())
                .get("/api/v1/localities/" + P + "2-1")
                .then()
                .statusCode(200)
                .body("parentCode", org.hamcrest.Matchers.equalTo(P + "2"));
        as(admin())
                .get("/api/v1/localities/" + P + "1-1")
                .then()
                .statusCode(200)
                .body("parentCode", org.hamcrest.Matchers.equalTo(P + "1"));
    }

    private void assertEveryCall(String token, String who) {
        List<String> failures = new ArrayList<>();
        for (Call call : CALLS) {
            Response response;
            String body;
            try {
                response = send(token, call);
                body = response.asString();
            } catch (Exception e) {
                failures.add(who + ": " + call.method() + " " + call.path().apply(fixture) + " broke: " + e);
                continue;
            }
            int status = response.statusCode();
            String label = who + ": " + call.method() + " " + call.path().apply(fixture) + " -> " + status;
            switch (call.expect()) {
                case NOT_FOUND -> {
                    if (status != 404) {
                        failures.add(label + " (expected 404)");
                    }
                }
                case REFUSED -> {
                    if (status != 403 && status != 404) {
                        failures.add(label + " (expected 403 or 404): " + body);
                    }
                }
                case ADMIN_LIST_WITHOUT_TARGET -> {
                    if (status != 403
                            && (status != 200 || body.contains("\"campaignId\":" + fixture.campaign() + ","))) {
                        failures.add(label + " (expected 403, or 200 without district one's entries)");
                    }
                }
                case LIST_WITHOUT_TARGET -> {
                    if (status != 200
                            || body.contains(fixture.serial())
                            || body.contains("\"id\":" + fixture.campaign() + ",")) {
                        failures.add(label + " (expected 200 without district one's items)");
                    }
                }
                case SAME_FOR_ALL_STAFF -> {
                    if (status == 403 || status >= 500) {
                        failures.add(label + " (course content is readable by all staff)");
                    }
                }
            }
            if (call.expect() != Expect.SAME_FOR_ALL_STAFF
                    && (body.contains(fixture.learnerName()) || body.contains("Người Có Bằng"))) {
                failures.add(label + " disclosed a learner's name");
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        // Nothing changed: district one's locality keeps its name, and no escalated account exists.
        as(admin())
                .get("/api/v1/localities/" + P + "1")
                .then()
                .statusCode(200)
                .body("name", org.hamcrest.Matchers.equalTo("Huyện Một " + P));
        given().contentType(ContentType.JSON)
                .body(Map.of("username", "sg.escalated", "password", "escalated-pass"))
                .post("/api/v1/auth/login")
                .then()
                .statusCode(401);
        as(admin())
                .get("/api/v1/certificates/" + fixture.serial() + ".pdf")
                .then()
                .statusCode(200);
        JsonPath cert = given().get("/api/v1/public/certificates/" + fixture.serial())
                .then()
                .extract()
                .jsonPath();
        assertFalse("REVOKED".equals(cert.getString("status")), "the certificate was revoked");
        JsonPath flags = as(admin())
                .get("/api/v1/campaigns/" + COURSE.campaign + "/integrity-flags?kind=FAST_QUIZ")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(
                "OPEN",
                flags.getString("items.find { it.id == " + fixture.flag() + " }.status"),
                "the flag was reviewed");
        as(admin())
                .get("/api/v1/campaigns/" + fixture.campaign() + "/certificate-policy")
                .then()
                .statusCode(200)
                .body("FAST_QUIZ", org.hamcrest.Matchers.equalTo("ISSUE"));
    }

    private static Response send(String token, Call call) {
        RequestSpecification request = as(token).redirects().follow(false);
        Object body = call.body() == null ? null : call.body().apply(fixture);
        if (body != null) {
            request = call.contentType() != null
                    ? request.contentType(call.contentType())
                            .body(body.toString().getBytes(StandardCharsets.UTF_8))
                    : request.contentType(ContentType.JSON).body(body);
        }
        if (call.template().endsWith("/events") || call.template().endsWith("/live")) {
            // A stream that opened would never end: ask with a short timeout through the same path.
            request = request.config(io.restassured.RestAssured.config()
                    .httpClient(io.restassured.config.HttpClientConfig.httpClientConfig()
                            .setParam("http.socket.timeout", 3000)));
        }
        return request.request(call.method(), call.path().apply(fixture));
    }

    private static Call read(String method, String template, Function<Fixture, String> path) {
        return new Call(method, template, Expect.NOT_FOUND, path, null, null);
    }

    private static Call write(
            String method, String template, Function<Fixture, String> path, Function<Fixture, Object> body) {
        return new Call(method, template, Expect.REFUSED, path, body, null);
    }

    private static Call write(
            String method,
            String template,
            Function<Fixture, String> path,
            Function<Fixture, Object> body,
            String contentType) {
        return new Call(method, template, Expect.REFUSED, path, body, contentType);
    }
}
