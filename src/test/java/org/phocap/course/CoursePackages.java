package org.phocap.course;

import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Small valid course packages for tests, as mutable maps so a test can spoil one field. */
public final class CoursePackages {
    private CoursePackages() {}

    public static Map<String, Object> sample(String code) {
        Map<String, Object> pkg = new HashMap<>();
        pkg.put("code", code);
        pkg.put("title", "Kỹ năng số cơ bản");
        pkg.put("language", "vi");
        pkg.put(
                "modules",
                new ArrayList<>(List.of(
                        module(
                                "M1",
                                "Dùng điện thoại an toàn",
                                lesson("L1", "Mật khẩu mạnh", "VIDEO", null),
                                lesson(
                                        "L2",
                                        "Cập nhật phần mềm",
                                        "READING",
                                        "Luôn cập nhật hệ điều hành và ứng dụng.")),
                        module("M2", "Dịch vụ công trực tuyến", lesson("L3", "Cài đặt VNeID", "VIDEO", null)))));
        Map<String, Object> question = new HashMap<>();
        question.put("code", "Q1-1");
        question.put("text", "Mật khẩu nào mạnh nhất?");
        question.put("kind", "SINGLE");
        question.put(
                "options",
                new ArrayList<>(List.of(
                        Map.of("key", "A", "text", "123456", "correct", false),
                        Map.of("key", "B", "text", "T@m-Dao!2026", "correct", true))));
        Map<String, Object> quiz = new HashMap<>();
        quiz.put("code", "Q1");
        quiz.put("title", "Kiểm tra mô-đun 1");
        quiz.put("questionsPerAttempt", 1);
        quiz.put("timeLimitSec", 600);
        quiz.put("maxAttempts", 3);
        quiz.put("passScore", 70);
        quiz.put("questions", new ArrayList<>(List.of(question)));
        pkg.put("quizzes", new ArrayList<>(List.of(quiz)));
        pkg.put("completion", Map.of("lessons", "ALL", "quizzes", List.of("Q1")));
        return pkg;
    }

    @SafeVarargs
    static Map<String, Object> module(String code, String title, Map<String, Object>... lessons) {
        return new HashMap<>(Map.of("code", code, "title", title, "lessons", new ArrayList<>(List.of(lessons))));
    }

    static Map<String, Object> lesson(String code, String title, String kind, String body) {
        Map<String, Object> lesson = new HashMap<>(Map.of(
                "code",
                code,
                "title",
                title,
                "kind",
                kind,
                "durationSec",
                300,
                "completion",
                Map.of("minCoverage", 0.9)));
        if (body != null) {
            lesson.put("body", body);
        }
        return lesson;
    }

    /** Publishes the sample and answers the course id. */
    public static long publish(String code) {
        return as(admin())
                .contentType(ContentType.JSON)
                .body(sample(code))
                .post("/api/v1/courses")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
    }
}
