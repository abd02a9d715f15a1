package org.phocap.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.phocap.certificate.CertificateCourse;
import org.phocap.platform.PostgresResource;

/**
 * Finding 5: one learner looping malformed heartbeats while ten honest learners study. Every
 * poisoned heartbeat is answered 400 naming its field; every honest one 200.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class HeartbeatPoisonTest {
    static final CertificateCourse COURSE = new CertificateCourse("HP", 96);

    static List<String> poisons(long lessonId) {
        String now = Instant.now().toString();
        return List.of(
                body(lessonId, "\"s-\\u0000-nul\"", "1", "0", "\"" + now + "\""),
                body(lessonId, "\"s-far\"", "1", "0", "\"9999-12-31T23:59:59Z\""),
                body(lessonId, "\"s-far\"", "2", "0", "\"0001-01-01T00:00:00Z\""),
                body(lessonId, "\"s-seq\"", "9223372036854775807", "0", "\"" + now + "\""),
                body(lessonId, "\"" + "x".repeat(65) + "\"", "1", "0", "\"" + now + "\""),
                body(lessonId, "\"s pace\"", "1", "0", "\"" + now + "\""),
                body(lessonId, "\"s-pos\"", "1", "1e308", "\"" + now + "\""));
    }

    static String body(long lessonId, String sessionId, String seq, String position, String sentAt) {
        return "{\"lessonId\":" + lessonId + ",\"sessionId\":" + sessionId + ",\"seq\":" + seq + ",\"positionSec\":"
                + position + ",\"playing\":true,\"sentAt\":" + sentAt + "}";
    }

    @Test
    void onePoisoningLearnerInALoopLeavesTenHonestLearnersWithOnly200() throws Exception {
        COURSE.ready();
        List<CertificateCourse.Learner> honest = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            honest.add(COURSE.learner("Học Viên Thật " + i));
        }
        CertificateCourse.Learner poisoner = COURSE.learner("Kẻ Phá");
        List<String> poisons = poisons(COURSE.lessonId);

        AtomicBoolean running = new AtomicBoolean(true);
        Map<Integer, Integer> poisonAnswers = new ConcurrentHashMap<>();
        ExecutorService threads = Executors.newFixedThreadPool(11);
        try {
            Future<?> attack = threads.submit(() -> {
                int i = 0;
                while (running.get()) {
                    Response r = as(poisoner.token())
                            .header("X-Device-Id", "poison")
                            .contentType(ContentType.JSON)
                            .body(poisons.get(i++ % poisons.size()))
                            .post("/api/v1/me/heartbeats");
                    poisonAnswers.merge(r.statusCode(), 1, Integer::sum);
                    if (r.statusCode() == 400) {
                        assertEquals("application/problem+json", r.contentType().replaceAll(";.*", ""));
                    }
                }
            });
            List<Future<Map<Integer, Integer>>> studying = new ArrayList<>();
            for (CertificateCourse.Learner l : honest) {
                studying.add(threads.submit(() -> {
                    Map<Integer, Integer> answers = new ConcurrentHashMap<>();
                    for (int seq = 1; seq <= 40; seq++) {
                        int status = as(l.token())
                                .header("X-Device-Id", "phone-" + l.id())
                                .contentType(ContentType.JSON)
                                .body(Map.of(
                                        "lessonId",
                                        COURSE.lessonId,
                                        "sessionId",
                                        "honest-" + l.id(),
                                        "seq",
                                        seq,
                                        "positionSec",
                                        0,
                                        "playing",
                                        true,
                                        "sentAt",
                                        Instant.now().toString()))
                                .post("/api/v1/me/heartbeats")
                                .statusCode();
                        answers.merge(status, 1, Integer::sum);
                    }
                    return answers;
                }));
            }
            for (Future<Map<Integer, Integer>> f : studying) {
                assertEquals(Map.of(200, 40), f.get(), "an honest learner's answers");
            }
            running.set(false);
            attack.get();
        } finally {
            running.set(false);
            threads.shutdownNow();
        }
        assertTrue(poisonAnswers.getOrDefault(400, 0) >= poisons.size(), "the poisoner kept trying: " + poisonAnswers);
        assertEquals(Map.of(400, poisonAnswers.get(400)), poisonAnswers, "every poisoned heartbeat is a 400");
    }
}
