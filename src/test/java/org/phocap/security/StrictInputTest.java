package org.phocap.security;

import static io.restassured.RestAssured.given;
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
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phocap.platform.Api;
import org.phocap.platform.Management;
import org.phocap.platform.PostgresResource;

/** Findings 7, 13 and 14: bad input is answered 400/413/414/415/431 as problem+json, changes nothing, and costs little. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class StrictInputTest {
    static final String P = "SI";
    static String learner;
    static long campaign;

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void setUp() {
        if (learner == null) {
            Api.tree(P);
            campaign = Api.campaign(P);
            learner = Api.enrolledLearner(P, campaign, Api.phone(97, 1));
        }
    }

    private static Map<String, Object> quiz(Object passScore) {
        return Map.of(
                "code",
                "A",
                "title",
                "Kiểm tra",
                "questionsPerAttempt",
                1,
                "timeLimitSec",
                600,
                "maxAttempts",
                3,
                "passScore",
                passScore,
                "questions",
                List.of(Map.of(
                        "code",
                        "Q1",
                        "text",
                        "Đúng?",
                        "kind",
                        "TRUE_FALSE",
                        "options",
                        List.of(
                                Map.of("key", "T", "text", "Đúng", "correct", true),
                                Map.of("key", "F", "text", "Sai", "correct", false)))));
    }

    private static Map<String, Object> course(String code, Object passScore) {
        return Map.of(
                "code",
                code,
                "title",
                "Khóa nghiêm ngặt",
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
                "quizzes",
                List.of(quiz(passScore)),
                "completion",
                Map.of("lessons", "ALL", "quizzes", List.of("A")));
    }

    @Test
    void aFractionForAWholeNumberIsRefusedNamingTheFieldNotStoredAsZero() {
        as(admin())
                .contentType(ContentType.JSON)
                .body(course("SI-FRACTION", 0.8))
                .post("/api/v1/courses")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("quizzes.0.passScore"))
                .body("errors[0].message", containsString("whole number"));
        as(admin())
                .contentType(ContentType.JSON)
                .body(course("SI-TEXT", "80"))
                .post("/api/v1/courses")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("quizzes.0.passScore"));
        as(admin())
                .contentType(ContentType.JSON)
                .body(course("SI-WHOLE", 80))
                .post("/api/v1/courses")
                .then()
                .statusCode(201);
    }

    @Test
    void heartbeatFieldsAreReadExactlyAsTyped() {
        String now = Instant.now().toString();
        for (String[] bad : List.of(
                new String[] {
                    "seq",
                    "{\"lessonId\":1,\"sessionId\":\"s\",\"seq\":\"3\",\"positionSec\":0,\"playing\":true,\"sentAt\":\""
                            + now + "\"}"
                },
                new String[] {
                    "sentAt",
                    "{\"lessonId\":1,\"sessionId\":\"s\",\"seq\":3,\"positionSec\":0,\"playing\":true,\"sentAt\":1764400000}"
                },
                new String[] {
                    "playing",
                    "{\"lessonId\":1,\"sessionId\":\"s\",\"seq\":3,\"positionSec\":0,\"playing\":1,\"sentAt\":\"" + now
                            + "\"}"
                },
                new String[] {
                    "sessionId",
                    "{\"lessonId\":1,\"sessionId\":7,\"seq\":3,\"positionSec\":0,\"playing\":true,\"sentAt\":\"" + now
                            + "\"}"
                },
                new String[] {
                    "sentAt",
                    "{\"lessonId\":1,\"sessionId\":\"s\",\"seq\":3,\"positionSec\":0,\"playing\":true,\"sentAt\":\"9999-12-31T23:59:59Z\"}"
                })) {
            as(learner)
                    .header("X-Device-Id", "strict")
                    .contentType(ContentType.JSON)
                    .body(bad[1])
                    .post("/api/v1/me/heartbeats")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo(bad[0]));
        }
        as(learner)
                .header("X-Device-Id", "strict")
                .contentType(ContentType.JSON)
                .body(
                        "{\"lessonId\":1,\"lessonId\":2,\"sessionId\":\"s\",\"seq\":3,\"positionSec\":0,\"playing\":true,\"sentAt\":\""
                                + now + "\"}")
                .post("/api/v1/me/heartbeats")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void nulAndControlCharactersAre400NeverA500() {
        given().contentType(ContentType.JSON)
                .body("{\"username\":\"ad\\u0000min\",\"password\":\"x\"}")
                .post("/api/v1/auth/login")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("username"));
        given().contentType(ContentType.JSON)
                .body("{\"phone\":\"0912\\u0000345678\",\"code\":\"123456\",\"pin\":\"123456\"}")
                .post("/api/v1/auth/activate")
                .then()
                .statusCode(400);
        as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "username",
                        "si.nul",
                        "password",
                        "nul-password-1",
                        "role",
                        "SUPPORTER",
                        "scope",
                        List.of(P),
                        "fullName",
                        "Tên\u0000Lạ"))
                .post("/api/v1/staff")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("fullName"));
        as(admin())
                .urlEncodingEnabled(false)
                .get("/api/v1/campaigns/" + campaign + "/learners?localityCode=" + P + "%00")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        as(admin())
                .contentType("text/csv; charset=UTF-8")
                .body("code,name,level,parent_code\n" + P + "9,Huyện\u0000Lạ,2," + P + "\n")
                .put("/api/v1/localities")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void aNulInOneRosterCellRejectsThatRowOnly() {
        String csv = Api.ROSTER_HEADER + "Người\u0000Lỗi," + Api.phone(97, 2) + ",1980,Nam,Kinh," + P
                + "1-1-1,VILLAGE,\n" + "Người Tốt," + Api.phone(97, 3) + ",1980,Nam,Kinh," + P + "1-1-1,VILLAGE,\n";
        long id = Api.upload(admin(), campaign, csv.getBytes(StandardCharsets.UTF_8), "text/csv");
        JsonPath done = Api.finished(admin(), id);
        assertEquals("DONE", done.getString("status"));
        assertEquals(1, done.getInt("created"));
        assertEquals(1, done.getInt("rejected"));
        assertEquals("full_name", done.getString("errors[0].field"));
    }

    @Test
    void queryNumbersThatDoNotParseAre400() {
        as(admin()).get("/api/v1/campaigns?page=abc").then().statusCode(400).contentType("application/problem+json");
        as(learner)
                .get("/api/v1/me/progress?courseId=1x")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void aBodyWithoutContentTypeIs415AndHttpLayerErrorsAreProblems() throws Exception {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> noType = client.send(
                HttpRequest.newBuilder(URI.create(base + "api/v1/auth/login"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"x\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(415, noType.statusCode());
        assertEquals(
                "application/problem+json",
                noType.headers().firstValue("Content-Type").orElse(""));

        HttpResponse<String> longUri = client.send(
                HttpRequest.newBuilder(URI.create(base + "api/v1/campaigns?q=" + "x".repeat(6000)))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(414, longUri.statusCode());
        assertTrue(longUri.body().contains("\"status\":414"), longUri.body());

        HttpResponse<String> bigHeaders = client.send(
                HttpRequest.newBuilder(URI.create(base + "api/v1/me"))
                        .header("X-Junk", "y".repeat(20_000))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(431, bigHeaders.statusCode());
        assertTrue(bigHeaders.body().contains("\"status\":431"), bigHeaders.body());
    }

    @Test
    void aChunkedJsonBodyIsCutOffAfterTheLimitWithout413ReadingTheRest() throws Exception {
        // 300 MB promised in 64 KiB chunks; the answer must come once about 1 MiB has arrived.
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    InputStream in = socket.getInputStream();
                    byte[] buffer = new byte[8192];
                    int n = in.read(buffer);
                    return n < 0 ? "" : new String(buffer, 0, n, StandardCharsets.UTF_8);
                } catch (Exception e) {
                    return "read failed: " + e;
                }
            });
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            byte[] head = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            long sent = 0;
            try {
                while (sent < 300L * 1024 * 1024 && !answer.isDone()) {
                    out.write(head);
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    sent += chunk.length;
                }
            } catch (java.io.IOException closed) {
                // The server closed the connection after answering: what we wanted.
            }
            String response = answer.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(response.startsWith("HTTP/1.1 413"), response);
            assertTrue(response.contains("application/problem+json"), response);
            assertTrue(
                    sent < 64L * 1024 * 1024,
                    "the server stopped the upload early; the client got " + sent + " bytes out");
        }
        // The server is fine afterwards.
        given().get(Management.url("/q/health/live")).then().statusCode(200);
    }

    @Test
    void eachEndpointHasItsJsonLimitAndHttp2ClientsAreServed() throws Exception {
        // Sign-in bodies are small: 20 KiB is refused before it is parsed; a 200 KiB replay is not.
        String big = "x".repeat(20_000);
        given().contentType(ContentType.JSON)
                .body("{\"username\":\"" + big + "\",\"password\":\"y\"}")
                .post("/api/v1/auth/login")
                .then()
                .statusCode(413)
                .contentType("application/problem+json");
        StringBuilder replay = new StringBuilder("[");
        for (int i = 0; i < 500; i++) {
            replay.append(i == 0 ? "" : ",")
                    .append("{\"lessonId\":1,\"sessionId\":\"")
                    .append("s".repeat(60))
                    .append("\",\"seq\":")
                    .append(i + 1)
                    .append(",\"positionSec\":0,\"playing\":true,\"sentAt\":\"")
                    .append(Instant.now())
                    .append("\"}");
        }
        replay.append("]");
        org.junit.jupiter.api.Assertions.assertTrue(replay.length() > 60_000, "a large replay: " + replay.length());
        as(learner)
                .header("X-Device-Id", "strict")
                .contentType(ContentType.JSON)
                .body(replay.toString())
                .post("/api/v1/me/heartbeats:batch")
                .then()
                .statusCode(200);
        // An HTTP/2 client (h2c upgrade, Java's default) with a JSON body is answered normally.
        HttpClient h2 =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> answer = h2.send(
                    HttpRequest.newBuilder(URI.create(base + "api/v1/auth/login"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"username\":\"nobody\",\"password\":\"wrong-one\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, answer.statusCode(), answer.body());
        }
    }

    @Test
    void junkPathsCountUnderOneTagAndKnownRoutesKeepTheirOwn() {
        for (int i = 0; i < 150; i++) {
            given().get("/api/v1/junk-" + i + "/x");
            given().contentType(ContentType.JSON).body("{}").post("/junk-" + i);
            given().urlEncodingEnabled(false).get("/api/v1/junk-" + i + "%00");
            given().body("x").post("/api/v1/junkbody-" + i);
            given().delete("/api/v1/campaigns/junk-" + i);
            given().get("/api/v1/me/junk-" + i);
        }
        as(admin()).get("/api/v1/campaigns/" + campaign).then().statusCode(200);
        String metrics = given().get(Management.url("/q/metrics"))
                .then()
                .statusCode(200)
                .extract()
                .asString();
        Set<String> uris = new HashSet<>();
        Matcher m = Pattern.compile("http_server_requests_seconds_count\\{[^}]*uri=\"([^\"]*)\"")
                .matcher(metrics);
        while (m.find()) {
            uris.add(m.group(1));
        }
        assertTrue(uris.contains("/api/v1/campaigns/{id}"), uris.toString());
        assertFalse(uris.stream().anyMatch(u -> u.contains("junk")), uris.toString());
    }
}
