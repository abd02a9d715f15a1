package org.phocap.platform;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Calls the running app the way a client would. Every test class works in its own province
 * (its own locality codes and phone range), so classes sharing one database never collide.
 */
public final class Api {
    public static final String ADMIN_PASSWORD = "test-admin-password";
    public static final String ROSTER_HEADER =
            "full_name,phone,birth_year,gender,ethnicity,locality_code,nominated_by,target_group\n";
    private static String adminToken;

    static {
        // Send bodies exactly as given: no ISO-8859-1 charset added to text types behind our back.
        io.restassured.RestAssured.config = io.restassured.RestAssured.config()
                .encoderConfig(io.restassured.config.EncoderConfig.encoderConfig()
                        .appendDefaultContentCharsetToContentTypeIfUndefined(false));
    }

    private Api() {}

    /** For tests that start apps of their own: the next {@link #admin} signs in again. */
    public static synchronized void forgetAdmin() {
        adminToken = null;
    }

    public static synchronized String admin() {
        if (adminToken == null) {
            adminToken = login("admin", ADMIN_PASSWORD).getString("accessToken");
        }
        return adminToken;
    }

    public static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    public static JsonPath login(String username, String password) {
        Secrets.remember(password);
        JsonPath tokens = given().contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password))
                .post("/api/v1/auth/login")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        Secrets.remember(tokens.getString("accessToken"));
        Secrets.remember(tokens.getString("refreshToken"));
        return tokens;
    }

    private static final java.util.Set<String> TREES = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** {@link #tree} once per test run. */
    public static void treeOnce(String p) {
        if (TREES.add(p)) {
            tree(p);
        }
    }

    /** Province P with districts P1, P2; communes P1-1, P2-1; villages P1-1-1, P1-1-2, P2-1-1. */
    public static void tree(String p) {
        String csv = "code,name,level,parent_code\n"
                + p + ",Tỉnh " + p + ",1,\n"
                + p + "1,Huyện Một " + p + ",2," + p + "\n"
                + p + "2,Huyện Hai " + p + ",2," + p + "\n"
                + p + "1-1,Xã Đồng Tâm,3," + p + "1\n"
                + p + "2-1,Xã Hợp Thịnh,3," + p + "2\n"
                + p + "1-1-1,Thôn Một,4," + p + "1-1\n"
                + p + "1-1-2,Thôn Hai,4," + p + "1-1\n"
                + p + "2-1-1,Thôn Ba,4," + p + "2-1\n";
        putLocalities(csv);
    }

    /** Adds or changes localities (the admin's CSV upload). */
    public static void putLocalities(String csv) {
        as(admin())
                .contentType("text/csv; charset=UTF-8")
                .body(csv)
                .put("/api/v1/localities")
                .then()
                .statusCode(200);
    }

    public static long campaign(String localityCode) {
        return as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "Chiến dịch " + localityCode,
                        "year",
                        2026,
                        "localityCode",
                        localityCode,
                        "courseIds",
                        List.of(),
                        "targetLearners",
                        100))
                .post("/api/v1/campaigns")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    /** A campaign over the locality that teaches the given courses, and its id. */
    public static long campaignTeaching(String localityCode, String name, List<Long> courseIds) {
        return as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        name,
                        "year",
                        2026,
                        "localityCode",
                        localityCode,
                        "courseIds",
                        courseIds,
                        "targetLearners",
                        10))
                .post("/api/v1/campaigns")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    /** An announcement to a course's lesson streams; answers its stream event id. */
    public static String broadcast(long course, String text) {
        return String.valueOf(as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of("text", text))
                .post("/api/v1/courses/" + course + "/broadcast")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("eventId"));
    }

    public static long upload(String token, long campaignId, byte[] body, String contentType) {
        return as(token)
                .contentType(contentType)
                .body(body)
                .post("/api/v1/campaigns/" + campaignId + "/roster")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("importId");
    }

    /** Waits for the import to end and answers its final status. */
    public static JsonPath finished(String token, long importId) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    last[0] = as(token)
                            .get("/api/v1/imports/" + importId)
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath();
                    return !"RUNNING".equals(last[0].getString("status"));
                });
        return last[0];
    }

    /** Enrols one person (village P1-1-1) in the campaign, activates them and answers their access token. */
    public static String enrolledLearner(String p, long campaign, String phone) {
        return enrolledLearner(p, campaign, phone, "Học Viên " + phone, p + "1-1-1");
    }

    /** The same with the person's name and village chosen. */
    public static String enrolledLearner(String p, long campaign, String phone, String fullName, String village) {
        String csv = ROSTER_HEADER + fullName + "," + phone + ",1990,Nữ,Kinh," + village + ",VILLAGE,\n";
        long importId = upload(admin(), campaign, csv.getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/csv");
        finished(admin(), importId);
        String codes = as(admin())
                .get("/api/v1/imports/" + importId + "/activation-codes.csv")
                .then()
                .extract()
                .asString();
        String code = Secrets.remember(codes.lines()
                .filter(l -> l.contains(e164(phone)))
                .findFirst()
                .orElseThrow()
                .replaceAll(".*,", ""));
        return Secrets.remember(given().contentType(ContentType.JSON)
                .body(Map.of("phone", phone, "code", code, "pin", Secrets.remember("314159")))
                .post("/api/v1/auth/activate")
                .then()
                .statusCode(200)
                .extract()
                .path("accessToken"));
    }

    /** A wave of the campaign open now (from yesterday for five days), and its id. */
    public static long openWave(long campaign) {
        java.time.Instant now = java.time.Instant.now();
        return as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "Đợt đang mở",
                        "opensAt",
                        now.minus(Duration.ofDays(1)).toString(),
                        "closesAt",
                        now.plus(Duration.ofDays(5)).toString(),
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

    /** Puts the learners into the wave. */
    public static void assign(long campaign, long wave, List<Long> learnerIds) {
        as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of("learnerIds", learnerIds))
                .post("/api/v1/campaigns/" + campaign + "/waves/" + wave + "/learners")
                .then()
                .statusCode(200);
    }

    /** A SUPPORTER with the one locality subtree as scope (created on first use), and their access token. */
    public static String supporter(String username, String scope) {
        String password = Secrets.remember("supporter-pass-" + username);
        int status = as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "username",
                        username,
                        "password",
                        password,
                        "role",
                        "SUPPORTER",
                        "scope",
                        List.of(scope),
                        "fullName",
                        "Hỗ trợ " + scope))
                .post("/api/v1/staff")
                .statusCode();
        if (status != 201 && status != 409) {
            throw new AssertionError("staff create: " + status);
        }
        return login(username, password).getString("accessToken");
    }

    /** A 10-digit Vietnamese mobile written the common way: 09 and eight digits. */
    public static String phone(int range, int n) {
        String phone = String.format("09%02d%06d", range, n);
        Secrets.remember(phone);
        Secrets.remember(e164(phone));
        return phone;
    }

    public static String e164(String nationalPhone) {
        return Secrets.remember("+84" + nationalPhone.substring(1));
    }
}
