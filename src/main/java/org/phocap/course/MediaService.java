package org.phocap.course;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import org.phocap.auth.Subject;
import org.phocap.platform.ProblemException;
import org.phocap.platform.Uploads;

@ApplicationScoped
public class MediaService {
    private final Pool pool;
    private final MediaStore store;
    private final CourseService courses;
    private final long maxBytes;

    public MediaService(Pool pool, MediaStore store, CourseService courses, MediaConfig mediaConfig) {
        long maxBytes = mediaConfig.maxBytes();
        this.pool = pool;
        this.store = store;
        this.courses = courses;
        this.maxBytes = maxBytes;
    }

    /** What a client needs to serve the bytes: a local file, its type, size, tag and age. */
    public record Media(Path file, String contentType, long size, String sha256, Instant updatedAt) {}

    public record Stored(long lessonId, String contentType, long size, String sha256) {}

    long maxBytes() {
        return maxBytes;
    }

    /**
     * Blocking (worker thread): streams the upload to disk under the limit, checks the client's
     * SHA-256 when given, stores it and points the lesson at it.
     */
    public Stored upload(long lessonId, InputStream body, String contentType, String expectedSha256) {
        String kind = lessonKind(lessonId);
        Uploads.Received received = Uploads.receive(body, maxBytes, "Media files");
        try {
            if (expectedSha256 != null
                    && !expectedSha256.isBlank()
                    && !expectedSha256.strip().equalsIgnoreCase(received.sha256())) {
                throw ProblemException.invalid(
                        "X-Checksum-SHA256",
                        "the upload's SHA-256 is " + received.sha256() + ", not the one announced; nothing was stored");
            }
            store.put(received.sha256(), received.file());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Uploads.discard(received.file());
        }
        String type = mediaType(contentType, kind);
        pool.preparedQuery("""
                        INSERT INTO lesson_media (lesson_id, blob_key, content_type, size) VALUES ($1, $2, $3, $4)
                        ON CONFLICT (lesson_id) DO UPDATE SET blob_key = excluded.blob_key,
                            content_type = excluded.content_type, size = excluded.size, updated_at = now()""")
                .execute(Tuple.of(lessonId, received.sha256(), type, received.size()))
                .await()
                .indefinitely();
        courses.mediaChanged();
        return new Stored(lessonId, type, received.size(), received.sha256());
    }

    public Uni<Media> media(long lessonId, Subject caller) {
        return courses.lesson(lessonId, caller)
                .flatMap(lesson -> pool.preparedQuery("SELECT * FROM lesson_media WHERE lesson_id = $1")
                        .execute(Tuple.of(lessonId)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.notFound("Lesson " + lessonId + " has no media yet.");
                    }
                    Row row = rows.iterator().next();
                    String key = row.getString("blob_key");
                    Path file = store.localFile(key).orElseThrow(() -> new IllegalStateException("media blob missing"));
                    return new Media(
                            file,
                            row.getString("content_type"),
                            row.getLong("size"),
                            key,
                            row.getOffsetDateTime("updated_at").toInstant());
                });
    }

    private String lessonKind(long lessonId) {
        var rows = pool.preparedQuery("SELECT kind FROM lesson WHERE id = $1")
                .execute(Tuple.of(lessonId))
                .await()
                .indefinitely();
        if (rows.size() == 0) {
            throw ProblemException.notFound("No lesson " + lessonId + ".");
        }
        return rows.iterator().next().getString(0);
    }

    /** The client's type when it says something specific; otherwise what the lesson kind implies. */
    private static String mediaType(String contentType, String kind) {
        String type =
                contentType == null ? "" : contentType.split(";")[0].strip().toLowerCase();
        if (!type.isEmpty() && !type.equals("application/octet-stream") && type.matches("[a-z]+/[a-z0-9.+-]+")) {
            return type;
        }
        return switch (kind) {
            case "VIDEO" -> "video/mp4";
            case "DOCUMENT" -> "application/pdf";
            default -> "text/html";
        };
    }
}
