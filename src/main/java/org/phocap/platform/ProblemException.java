package org.phocap.platform;

import java.util.List;

/**
 * A failure the client caused or must know about; the error mapper turns it into problem+json.
 * The slug becomes the last segment of the problem type, which clients may match on.
 */
public class ProblemException extends RuntimeException {
    private final int status;
    private final String slug;
    private final String title;
    private final List<Problem.FieldError> errors;
    private Integer retryAfterSec;
    private String overloadCause;

    public ProblemException(int status, String slug, String title, String detail, List<Problem.FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = errors;
    }

    public ProblemException(int status, String slug, String title, String detail) {
        this(status, slug, title, detail, null);
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "bad-request", "Bad request", detail);
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(
                400, "validation", "Invalid input", message, List.of(new Problem.FieldError(field, message)));
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "forbidden", "Forbidden", detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "not-found", "Not found", detail);
    }

    public static ProblemException conflict(String slug, String detail) {
        return new ProblemException(409, slug, "Conflict", detail);
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "unauthorized", "Unauthorized", detail);
    }

    public static ProblemException tooLarge(String detail) {
        return new ProblemException(413, "payload-too-large", "Payload too large", detail);
    }

    /** A temporary failure: the client should retry after this many seconds (sent as Retry-After). */
    public static ProblemException unavailable(String detail, int retryAfterSec) {
        return new ProblemException(503, "unavailable", "Service unavailable", detail).retryAfter(retryAfterSec);
    }

    /** Load shed on purpose at the named bound (see {@link Overload}): 503 with Retry-After, counted. */
    static ProblemException overloaded(String cause, String detail, int retryAfterSec) {
        ProblemException e =
                new ProblemException(503, "overloaded", "Service overloaded", detail).retryAfter(retryAfterSec);
        e.overloadCause = cause;
        return e;
    }

    public String overloadCause() {
        return overloadCause;
    }

    /** The same problem, telling the client when to try again (sent as Retry-After). */
    public ProblemException retryAfter(int seconds) {
        this.retryAfterSec = seconds;
        return this;
    }

    public Integer retryAfterSec() {
        return retryAfterSec;
    }

    public Problem toProblem() {
        return new Problem(Problem.TYPE_BASE + slug, title, status, getMessage(), errors);
    }

    public String slug() {
        return slug;
    }

    public int status() {
        return status;
    }
}
