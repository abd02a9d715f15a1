package org.phocap.platform;

import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.phocap.course.CoursePackages;

/**
 * Learners ready to study on a running instance (RestAssured pointed at it): a locality tree, the
 * sample course, a campaign with an open wave, and activated learners in that wave.
 */
public record StudyFixture(long course, long lesson, List<String> tokens, List<Long> ids) {

    public static StudyFixture create(String p, String courseCode, int phoneRange, int learners) {
        Api.treeOnce(p);
        long course = CoursePackages.publish(courseCode);
        long lesson = as(admin())
                .get("/api/v1/courses/" + course)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("modules[0].lessons.find { it.code == 'L2' }.id");
        long campaign = as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "Chiến dịch " + p,
                        "year",
                        2026,
                        "localityCode",
                        p,
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
        long wave = Api.openWave(campaign);
        List<String> tokens = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= learners; i++) {
            String token = Api.enrolledLearner(p, campaign, Api.phone(phoneRange, i));
            tokens.add(token);
            ids.add(as(token)
                    .get("/api/v1/me")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getLong("id"));
        }
        Api.assign(campaign, wave, ids);
        return new StudyFixture(course, lesson, tokens, ids);
    }

    /** A heartbeat body of the learner's one session on the lesson (paused at 0: it stores state, credits nothing). */
    public String heartbeat(int learner, long seq) {
        return "{\"lessonId\":" + lesson + ",\"sessionId\":\"s-" + ids.get(learner) + "\",\"seq\":" + seq
                + ",\"positionSec\":0,\"playing\":false,\"sentAt\":\"" + java.time.Instant.now() + "\"}";
    }
}
