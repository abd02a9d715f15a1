package org.phocap.course;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLConnection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.phocap.platform.Problem;
import org.phocap.platform.ProblemException;
import org.phocap.platform.Uploads;

/**
 * A course package as a .zip: course.json plus the media files its lessons name. Blocking
 * (worker thread): the zip is streamed to disk under the limit and read in place; media go to
 * the store first (content-addressed, so a refused package leaves nothing that matters), then
 * the version and its media links are written in one transaction.
 */
@ApplicationScoped
public class CoursePackageZip {
    private static final String MANIFEST = "course.json";

    private final CourseService courses;
    private final MediaStore store;
    private final ObjectMapper json;
    private final Validator validator;
    private final long maxBytes;

    public CoursePackageZip(
            CourseService courses,
            MediaStore store,
            ObjectMapper json,
            Validator validator,
            CourseConfig courseConfig) {
        long maxBytes = courseConfig.maxZipBytes();
        this.courses = courses;
        this.store = store;
        this.json = json;
        this.validator = validator;
        this.maxBytes = maxBytes;
    }

    long maxBytes() {
        return maxBytes;
    }

    public CourseService.Published publish(InputStream body) {
        Uploads.Received upload = Uploads.receive(body, maxBytes, "Course packages");
        try (ZipFile zip = new ZipFile(upload.file().toFile())) {
            CoursePackage pkg = manifest(zip);
            Map<String, CourseService.AttachedMedia> media = storeMedia(zip, pkg);
            return courses.publish(pkg, media).await().indefinitely();
        } catch (ZipException e) {
            throw ProblemException.badRequest("The body is not a readable .zip file.");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Uploads.discard(upload.file());
        }
    }

    private CoursePackage manifest(ZipFile zip) throws IOException {
        ZipEntry entry = zip.getEntry(MANIFEST);
        if (entry == null) {
            throw ProblemException.invalid(MANIFEST, "the zip has no course.json at its top level");
        }
        CoursePackage pkg;
        try (InputStream in = zip.getInputStream(entry)) {
            pkg = json.readValue(in, CoursePackage.class);
        } catch (JsonProcessingException e) {
            throw ProblemException.invalid(
                    MANIFEST, "course.json is not a valid course package: " + e.getOriginalMessage());
        }
        Set<ConstraintViolation<CoursePackage>> violations = validator.validate(pkg);
        if (!violations.isEmpty()) {
            List<Problem.FieldError> errors = violations.stream()
                    .map(v -> new Problem.FieldError(
                            v.getPropertyPath().toString().replace(".<list element>", ""), v.getMessage()))
                    .sorted(java.util.Comparator.comparing(Problem.FieldError::field))
                    .toList();
            throw new ProblemException(
                    400, "validation", "Invalid course package", "course.json was refused; nothing changed.", errors);
        }
        return pkg;
    }

    private Map<String, CourseService.AttachedMedia> storeMedia(ZipFile zip, CoursePackage pkg) throws IOException {
        Map<String, CourseService.AttachedMedia> media = new HashMap<>();
        List<Problem.FieldError> missing = new ArrayList<>();
        for (int m = 0; m < pkg.modules().size(); m++) {
            List<CoursePackage.Lesson> lessons = pkg.modules().get(m).lessons();
            for (int l = 0; l < lessons.size(); l++) {
                String name = lessons.get(l).media();
                if (name != null && !name.isBlank() && zip.getEntry(name) == null) {
                    missing.add(new Problem.FieldError(
                            "modules[" + m + "].lessons[" + l + "].media", "no file '" + name + "' in the zip"));
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new ProblemException(
                    400, "validation", "Invalid course package", "The package was refused; nothing changed.", missing);
        }
        for (CoursePackage.Module module : pkg.modules()) {
            for (CoursePackage.Lesson lesson : module.lessons()) {
                if (lesson.media() == null || lesson.media().isBlank()) {
                    continue;
                }
                ZipEntry entry = zip.getEntry(lesson.media());
                Uploads.Received file;
                try (InputStream in = zip.getInputStream(entry)) {
                    file = Uploads.receive(in, maxBytes, "Media files");
                }
                store.put(file.sha256(), file.file());
                media.put(lesson.code(), new CourseService.AttachedMedia(file.sha256(), typeOf(lesson), file.size()));
            }
        }
        return media;
    }

    private static String typeOf(CoursePackage.Lesson lesson) {
        String guessed = URLConnection.guessContentTypeFromName(
                Path.of(lesson.media()).getFileName().toString());
        if (guessed != null) {
            return guessed;
        }
        return switch (lesson.kind()) {
            case "VIDEO" -> "video/mp4";
            case "DOCUMENT" -> "application/pdf";
            default -> "application/octet-stream";
        };
    }
}
