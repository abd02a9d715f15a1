package org.phocap.course;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.phocap.platform.PostgresResource;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class CourseZipTest {

    static byte[] zip(Map<String, Object> pkg, Map<String, byte[]> files) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("course.json"));
            zip.write(new ObjectMapper().writeValueAsBytes(pkg));
            zip.closeEntry();
            for (var file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> firstLesson(Map<String, Object> pkg) {
        return (Map<String, Object>)
                ((List<?>) ((Map<String, Object>) ((List<?>) pkg.get("modules")).get(0)).get("lessons")).get(0);
    }

    @Test
    void zipWithMediaPublishesAndServesTheMedia() throws Exception {
        Map<String, Object> pkg = CoursePackages.sample("ZIP-OK");
        firstLesson(pkg).put("media", "video/l1.mp4");
        byte[] video = "not really a video, but bytes all the same".getBytes();
        JsonPath outline = as(admin())
                .contentType("application/zip")
                .body(zip(pkg, Map.of("video/l1.mp4", video)))
                .post("/api/v1/courses")
                .then()
                .statusCode(201)
                .body("modules[0].lessons[0].hasMedia", equalTo(true))
                .body("modules[0].lessons[1].hasMedia", equalTo(false))
                .extract()
                .jsonPath();
        byte[] served = as(admin())
                .get("/api/v1/lessons/" + outline.getLong("modules[0].lessons[0].id") + "/media")
                .then()
                .statusCode(200)
                .contentType("video/mp4")
                .extract()
                .asByteArray();
        assertArrayEquals(video, served);
    }

    @Test
    void aNamedFileMissingFromTheZipIsRefusedWithItsPath() throws Exception {
        Map<String, Object> pkg = CoursePackages.sample("ZIP-MISSING");
        firstLesson(pkg).put("media", "absent.mp4");
        as(admin())
                .contentType("application/zip")
                .body(zip(pkg, Map.of()))
                .post("/api/v1/courses")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("modules[0].lessons[0].media"));
        as(admin())
                .contentType("application/zip")
                .body(zip(Map.of("code", "x"), Map.of()))
                .post("/api/v1/courses")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void invalidManifestNamesTheFieldPath() throws Exception {
        Map<String, Object> pkg = CoursePackages.sample("ZIP-BAD");
        firstLesson(pkg).put("durationSec", 0);
        as(admin())
                .contentType("application/zip")
                .body(zip(pkg, Map.of()))
                .post("/api/v1/courses")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("modules[0].lessons[0].durationSec"));
    }

    @Test
    void notAZipIsA400() {
        as(admin())
                .contentType("application/zip")
                .body("plain text".getBytes())
                .post("/api/v1/courses")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }
}
