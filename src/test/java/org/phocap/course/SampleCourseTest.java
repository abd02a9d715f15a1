package org.phocap.course;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.phocap.platform.PostgresResource;

/** The course shipped for the demo is a valid package: 4 modules, 12 lessons, 5 quizzes, 44 questions. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class SampleCourseTest {
    static final Path FOLDER = Path.of("src/main/resources/demo/kns-co-ban");

    @Test
    void theShippedSampleCoursePublishesWithItsMedia() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out);
                Stream<Path> files = Files.list(FOLDER)) {
            for (Path file : files.filter(f -> !f.getFileName().toString().endsWith(".md"))
                    .toList()) {
                zip.putNextEntry(new ZipEntry(file.getFileName().toString()));
                zip.write(Files.readAllBytes(file));
            }
        }
        JsonPath outline = as(admin())
                .contentType("application/zip")
                .body(out.toByteArray())
                .post("/api/v1/courses")
                .then()
                .statusCode(201)
                .body("title", equalTo("Kỹ năng số cơ bản"))
                .extract()
                .jsonPath();
        assertEquals(4, outline.getList("modules").size());
        assertEquals(12, outline.getList("modules.lessons.flatten()").size());
        assertEquals(List.of("VIDEO", "READING", "DOCUMENT"), outline.getList("modules[0].lessons.kind"));
        assertEquals(5, outline.getList("quizzes").size());
        assertEquals(
                44,
                outline.getList("quizzes.questionCount", Integer.class).stream()
                        .mapToInt(Integer::intValue)
                        .sum());
        assertTrue(
                outline
                        .getList("modules.lessons.flatten().findAll { it.kind != 'READING' }.hasMedia", Boolean.class)
                        .stream()
                        .allMatch(Boolean::booleanValue));
        long pdfLesson = outline.getLong("modules[0].lessons[2].id");
        as(admin())
                .get("/api/v1/lessons/" + pdfLesson + "/media")
                .then()
                .statusCode(200)
                .contentType("application/pdf");
    }
}
