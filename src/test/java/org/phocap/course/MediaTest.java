package org.phocap.course;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phocap.platform.PostgresResource;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class MediaTest {
    static final int SIZE = 100_000;
    static byte[] video;
    static long lesson;

    @BeforeEach
    void upload() throws Exception {
        if (video != null) {
            return;
        }
        byte[] bytes = new byte[SIZE];
        new Random(7).nextBytes(bytes);
        long course = CoursePackages.publish("MEDIA-COURSE");
        lesson = as(admin())
                .get("/api/v1/courses/" + course)
                .then()
                .extract()
                .jsonPath()
                .getLong("modules[0].lessons[0].id");
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        as(admin())
                .contentType("video/mp4")
                .header("X-Checksum-SHA256", sha)
                .body(bytes)
                .put("/api/v1/lessons/" + lesson + "/media")
                .then()
                .statusCode(200)
                .body("size", equalTo(SIZE))
                .body("sha256", equalTo(sha));
        video = bytes;
    }

    private static byte[] slice(int from, int toInclusive) {
        return Arrays.copyOfRange(video, from, toInclusive + 1);
    }

    @Test
    void wholeFileWithValidators() {
        byte[] body = as(admin())
                .get("/api/v1/lessons/" + lesson + "/media")
                .then()
                .statusCode(200)
                .header("Accept-Ranges", "bytes")
                .header("ETag", notNullValue())
                .header("Last-Modified", notNullValue())
                .header("Content-Length", String.valueOf(SIZE))
                .contentType("video/mp4")
                .extract()
                .asByteArray();
        assertArrayEquals(video, body);
    }

    @Test
    void firstBytesMiddleSuffixAndOpenEndedRanges() {
        assertArrayEquals(slice(0, 99), range("bytes=0-99", "bytes 0-99/" + SIZE));
        assertArrayEquals(slice(5000, 5999), range("bytes=5000-5999", "bytes 5000-5999/" + SIZE));
        assertArrayEquals(
                slice(SIZE - 500, SIZE - 1),
                range("bytes=-500", "bytes " + (SIZE - 500) + "-" + (SIZE - 1) + "/" + SIZE));
        assertArrayEquals(slice(99_000, SIZE - 1), range("bytes=99000-", "bytes 99000-" + (SIZE - 1) + "/" + SIZE));
        // An end past the file is cut to the file.
        assertArrayEquals(
                slice(99_990, SIZE - 1), range("bytes=99990-200000", "bytes 99990-" + (SIZE - 1) + "/" + SIZE));
    }

    private static byte[] range(String header, String contentRange) {
        return as(admin())
                .header("Range", header)
                .get("/api/v1/lessons/" + lesson + "/media")
                .then()
                .statusCode(206)
                .header("Content-Range", contentRange)
                .extract()
                .asByteArray();
    }

    @Test
    void unsatisfiableRangeIs416() {
        as(admin())
                .header("Range", "bytes=" + SIZE + "-")
                .get("/api/v1/lessons/" + lesson + "/media")
                .then()
                .statusCode(416)
                .header("Content-Range", "bytes */" + SIZE);
    }

    @Test
    void headGivesTheHeadersWithoutTheBody() {
        as(admin())
                .head("/api/v1/lessons/" + lesson + "/media")
                .then()
                .statusCode(200)
                .header("Accept-Ranges", "bytes")
                .header("Content-Length", String.valueOf(SIZE));
        as(admin())
                .header("Range", "bytes=0-9")
                .head("/api/v1/lessons/" + lesson + "/media")
                .then()
                .statusCode(206)
                .header("Content-Range", "bytes 0-9/" + SIZE);
    }

    @Test
    void etagRevalidationIs304() {
        String etag = as(admin())
                .get("/api/v1/lessons/" + lesson + "/media")
                .then()
                .extract()
                .header("ETag");
        as(admin())
                .header("If-None-Match", etag)
                .get("/api/v1/lessons/" + lesson + "/media")
                .then()
                .statusCode(304);
    }

    @Test
    void uploadsOverTheLimitOrWithAWrongChecksumAreRefused() {
        as(admin())
                .contentType("video/mp4")
                .body(new byte[1_000_001])
                .put("/api/v1/lessons/" + lesson + "/media")
                .then()
                .statusCode(413)
                .contentType("application/problem+json");
        as(admin())
                .contentType("video/mp4")
                .header("X-Checksum-SHA256", "00".repeat(32))
                .body(new byte[10])
                .put("/api/v1/lessons/" + lesson + "/media")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        // The media served is still the first upload.
        as(admin()).get("/api/v1/lessons/" + lesson + "/media").then().header("Content-Length", String.valueOf(SIZE));
    }
}
