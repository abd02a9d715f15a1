package org.phocap.course;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phocap.platform.Api;
import org.phocap.platform.PostgresResource;
import org.phocap.platform.Secrets;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class CourseTest {
    static final String P = "CO";

    @BeforeEach
    void province() {
        Api.treeOnce(P);
    }

    @Test
    void publishedOutlineHasAStrongEtagAndNoAnswers() {
        var response = as(admin())
                .contentType(ContentType.JSON)
                .body(CoursePackages.sample("KNS-A"))
                .post("/api/v1/courses")
                .then()
                .statusCode(201)
                .body("code", equalTo("KNS-A"))
                .body("version", equalTo(1))
                .body("modules[0].lessons.code", equalTo(List.of("L1", "L2")))
                .body("quizzes[0].questionCount", equalTo(1))
                .body(not(containsString("correct")))
                .extract();
        long id = response.jsonPath().getLong("id");
        String etag = as(admin())
                .get("/api/v1/courses/" + id)
                .then()
                .statusCode(200)
                .header("Cache-Control", containsString("no-cache"))
                .body(not(containsString("correct")))
                .body(not(containsString("T@m-Dao")))
                .extract()
                .header("ETag");
        assertTrue(etag.startsWith("\"") && !etag.startsWith("W/"), etag);
        as(admin())
                .header("If-None-Match", etag)
                .get("/api/v1/courses/" + id)
                .then()
                .statusCode(304);
        as(admin())
                .header("If-None-Match", "\"something-else\"")
                .get("/api/v1/courses/" + id)
                .then()
                .statusCode(200);
    }

    @Test
    void invalidPackagesNameThePathOfEachBadField() {
        Map<String, Object> pkg = CoursePackages.sample("KNS-BAD");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> modules = (List<Map<String, Object>>) pkg.get("modules");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> lessons =
                (List<Map<String, Object>>) modules.get(1).get("lessons");
        lessons.get(0).put("kind", "PODCAST");
        JsonPath problem = as(admin())
                .contentType(ContentType.JSON)
                .body(pkg)
                .post("/api/v1/courses")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .extract()
                .jsonPath();
        assertEquals(List.of("modules[1].lessons[0].kind"), problem.getList("errors.field"));

        lessons.get(0).put("kind", "VIDEO");
        lessons.get(0).put("code", "L1"); // the same code as the first lesson of module 0
        problem = as(admin())
                .contentType(ContentType.JSON)
                .body(pkg)
                .post("/api/v1/courses")
                .then()
                .statusCode(400)
                .extract()
                .jsonPath();
        assertEquals(List.of("modules[1].lessons[0].code"), problem.getList("errors.field"));
        as(admin()).get("/api/v1/courses/999999").then().statusCode(404);
    }

    @Test
    void aSingleChoiceQuestionNeedsExactlyOneCorrectOption() {
        Map<String, Object> pkg = CoursePackages.sample("KNS-Q");
        pkg.put(
                "quizzes",
                List.of(Map.of(
                        "code",
                        "Q1",
                        "title",
                        "x",
                        "questionsPerAttempt",
                        1,
                        "timeLimitSec",
                        600,
                        "maxAttempts",
                        1,
                        "passScore",
                        50,
                        "questions",
                        List.of(Map.of(
                                "code",
                                "A",
                                "text",
                                "?",
                                "kind",
                                "SINGLE",
                                "options",
                                List.of(
                                        Map.of("key", "A", "text", "a", "correct", true),
                                        Map.of("key", "B", "text", "b", "correct", true)))))));
        as(admin())
                .contentType(ContentType.JSON)
                .body(pkg)
                .post("/api/v1/courses")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("quizzes[0].questions[0].options"));
    }

    @Test
    void aNewVersionKeepsTheIdsOfUnchangedLessons() {
        Map<String, Object> pkg = CoursePackages.sample("KNS-V");
        JsonPath v1 = as(admin())
                .contentType(ContentType.JSON)
                .body(pkg)
                .post("/api/v1/courses")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        @SuppressWarnings("unchecked")
        Map<String, Object> l2 = (Map<String, Object>)
                ((List<?>) ((Map<String, Object>) ((List<?>) pkg.get("modules")).get(0)).get("lessons")).get(1);
        l2.put("body", "Nội dung mới: bật cập nhật tự động.");
        JsonPath v2 = as(admin())
                .contentType(ContentType.JSON)
                .body(pkg)
                .post("/api/v1/courses")
                .then()
                .statusCode(201)
                .body("version", equalTo(2))
                .extract()
                .jsonPath();
        assertEquals(v1.getLong("id"), v2.getLong("id"));
        assertEquals(v1.getLong("modules[0].lessons[0].id"), v2.getLong("modules[0].lessons[0].id"));
        assertNotEquals(v1.getLong("modules[0].lessons[1].id"), v2.getLong("modules[0].lessons[1].id"));
        assertEquals(v1.getLong("modules[1].lessons[0].id"), v2.getLong("modules[1].lessons[0].id"));
        as(admin()).get("/api/v1/courses/" + v1.getLong("id")).then().body("version", equalTo(2));
    }

    @Test
    void learnersSeeOnlyTheCoursesOfTheirCampaigns() {
        long mine = CoursePackages.publish("KNS-MINE");
        long other = CoursePackages.publish("KNS-OTHER");
        long campaign = as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "Có khóa học",
                        "year",
                        2026,
                        "localityCode",
                        P,
                        "courseIds",
                        List.of(mine),
                        "targetLearners",
                        10))
                .post("/api/v1/campaigns")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        String phone = Api.phone(50, 1);
        String csv = Api.ROSTER_HEADER + "Học Viên," + phone + ",1990,Nữ,Kinh," + P + "1-1-1,VILLAGE,\n";
        long importId = Api.upload(admin(), campaign, csv.getBytes(StandardCharsets.UTF_8), "text/csv");
        Api.finished(admin(), importId);
        String codes = as(admin())
                .get("/api/v1/imports/" + importId + "/activation-codes.csv")
                .then()
                .extract()
                .asString();
        String code = Secrets.remember(codes.lines()
                .filter(l -> l.contains(Api.e164(phone)))
                .findFirst()
                .orElseThrow()
                .replaceAll(".*,", ""));
        String learner = Secrets.remember(given().contentType(ContentType.JSON)
                .body(Map.of("phone", phone, "code", code, "pin", Secrets.remember("202611")))
                .post("/api/v1/auth/activate")
                .then()
                .statusCode(200)
                .extract()
                .path("accessToken"));

        JsonPath outline = as(learner)
                .get("/api/v1/courses/" + mine)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        as(learner).get("/api/v1/courses/" + other).then().statusCode(404).contentType("application/problem+json");
        long lesson = outline.getLong("modules[0].lessons[1].id");
        String etag = as(learner)
                .get("/api/v1/lessons/" + lesson)
                .then()
                .statusCode(200)
                .body("body", equalTo("Luôn cập nhật hệ điều hành và ứng dụng."))
                .extract()
                .header("ETag");
        as(learner)
                .header("If-None-Match", etag)
                .get("/api/v1/lessons/" + lesson)
                .then()
                .statusCode(304);
        long foreignLesson = as(admin())
                .get("/api/v1/courses/" + other)
                .then()
                .extract()
                .jsonPath()
                .getLong("modules[0].lessons[0].id");
        as(learner).get("/api/v1/lessons/" + foreignLesson).then().statusCode(404);
        // Learners do not publish.
        as(learner)
                .contentType(ContentType.JSON)
                .body(CoursePackages.sample("KNS-X"))
                .post("/api/v1/courses")
                .then()
                .statusCode(403);
    }

    @Test
    void campaignsRefuseUnknownCourses() {
        Map<String, Object> body = new HashMap<>(Map.of(
                "name", "x", "year", 2026, "localityCode", P, "courseIds", List.of(987654321L), "targetLearners", 5));
        as(admin())
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/campaigns")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("courseIds"));
    }
}
