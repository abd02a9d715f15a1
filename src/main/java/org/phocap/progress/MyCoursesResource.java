package org.phocap.progress;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.phocap.auth.CurrentUser;
import org.phocap.auth.Role;
import org.phocap.auth.Subject;
import org.phocap.course.CourseService;
import org.phocap.platform.ApiTags;

/** The courses of the learner's campaigns, each with the learner's overall progress. */
@Tag(name = ApiTags.STUDY, description = ApiTags.STUDY_ABOUT)
@Path("/api/v1/me/courses")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.LEARNER)
public class MyCoursesResource {
    private final LearnerAccess access;
    private final CourseService courses;
    private final ProgressService progress;
    private final CurrentUser user;

    public MyCoursesResource(LearnerAccess access, CourseService courses, ProgressService progress, CurrentUser user) {
        this.access = access;
        this.courses = courses;
        this.progress = progress;
        this.user = user;
    }

    public record MyCourse(
            long id,
            String code,
            String title,
            int version,
            String language,
            int totalLessons,
            int completedLessons,
            double progress,
            boolean completed) {}

    @GET
    @Operation(summary = "The courses of the learner's campaigns with overall progress")
    public Uni<List<MyCourse>> list() {
        Subject learner = user.subject();
        return access.enrolments(learner.id())
                .onItem()
                .transformToMulti(enrolments -> {
                    Set<Long> ids = new LinkedHashSet<>();
                    enrolments.forEach(e -> ids.addAll(e.courseIds()));
                    return Multi.createFrom().iterable(ids);
                })
                .onItem()
                .transformToUniAndConcatenate(courseId -> courses.outline(courseId, learner)
                        .flatMap(published -> progress.courseProgress(learner.id(), published.course())
                                .map(p -> new MyCourse(
                                        courseId,
                                        published.course().code(),
                                        published.course().title(),
                                        published.course().version(),
                                        published.course().language(),
                                        p.totalLessons(),
                                        p.completedLessons(),
                                        p.progress(),
                                        p.completed()))))
                .collect()
                .asList();
    }
}
