package org.phocap.course;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** A course package as the contract gives it (POST /courses). */
public record CoursePackage(
        @NotBlank @Pattern(regexp = CoursePackage.CODE, message = CoursePackage.CODE_MESSAGE)
        String code,

        @NotBlank @Size(max = 300) String title,
        @NotBlank @Size(max = 16) String language,
        @NotEmpty @Size(max = 50) List<@Valid @NotNull Module> modules,
        @Size(max = 50) List<@Valid @NotNull Quiz> quizzes,
        @Valid Completion completion) {

    static final String CODE = "[A-Za-z0-9_.-]{1,64}";
    static final String CODE_MESSAGE = "1-64 letters, digits, '.', '_' or '-'";

    public record Module(
            @NotBlank @Pattern(regexp = CODE, message = CODE_MESSAGE)
            String code,

            @NotBlank @Size(max = 300) String title,
            @NotEmpty @Size(max = 100) List<@Valid @NotNull Lesson> lessons) {}

    public record Lesson(
            @NotBlank @Pattern(regexp = CODE, message = CODE_MESSAGE)
            String code,

            @NotBlank @Size(max = 300) String title,

            @NotNull @Pattern(regexp = "VIDEO|READING|DOCUMENT", message = "must be VIDEO, READING or DOCUMENT")
            String kind,

            @NotNull @Min(1) @Max(36_000) Integer durationSec,
            @Size(max = 200_000) String body,
            @Size(max = 300) String media,
            @Valid LessonCompletion completion) {}

    public record LessonCompletion(
            @DecimalMin("0.1") @DecimalMax("1.0") Double minCoverage) {}

    public record Quiz(
            @NotBlank @Pattern(regexp = CODE, message = CODE_MESSAGE)
            String code,

            @NotBlank @Size(max = 300) String title,
            @NotNull @Min(1) @Max(200) Integer questionsPerAttempt,
            @NotNull @Min(30) @Max(14_400) Integer timeLimitSec,
            @NotNull @Min(1) @Max(100) Integer maxAttempts,
            @NotNull @Min(0) @Max(100) Integer passScore,
            @NotEmpty @Size(max = 1000) List<@Valid @NotNull Question> questions,
            Boolean review,
            @Min(0) @Max(604_800) Integer cooldownSec,

            @Pattern(regexp = "BEST|LAST", message = "must be BEST or LAST")
            String scorePolicy) {}

    public record Question(
            @NotBlank @Pattern(regexp = CODE, message = CODE_MESSAGE)
            String code,

            @NotBlank @Size(max = 2000) String text,

            @NotNull @Pattern(regexp = "SINGLE|MULTIPLE|TRUE_FALSE", message = "must be SINGLE, MULTIPLE or TRUE_FALSE")
            String kind,

            @NotEmpty @Size(min = 2, max = 10) List<@Valid @NotNull Option> options,
            @Size(max = 2000) String explanation) {}

    public record Option(
            @NotBlank @Size(max = 8) String key,
            @NotBlank @Size(max = 1000) String text,
            @NotNull Boolean correct) {}

    public record Completion(
            @Pattern(regexp = "ALL", message = "must be ALL")
            String lessons,

            @Size(max = 50) List<@NotBlank String> quizzes) {}
}
