package org.phocap.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.mutiny.CompositeException;
import io.vertx.pgclient.PgException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where failures become HTTP answers: every error leaves as problem+json,
 * never as a stack trace or an HTML page.
 */
public class ProblemMapper {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    // Quarkus ships its own mappers for these security exceptions (empty bodies); the specific
    // types here take precedence over them, so every 401 and 403 carries a problem too.
    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException failure) {
        return map(failure);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException failure) {
        return map(failure);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException failure) {
        return map(failure);
    }

    @ServerExceptionMapper
    public Response invalid(ResteasyReactiveViolationException failure) {
        return map(failure);
    }

    // Jackson failures likewise have built-in mappers answering plain JSON.
    @ServerExceptionMapper
    public Response badJson(MismatchedInputException failure) {
        return map(failure);
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException failure) {
        return map(failure);
    }

    @ServerExceptionMapper
    public Response map(Throwable failure) {
        Answer answer = answer(failure);
        Response.ResponseBuilder builder = Response.status(answer.problem().status())
                .type(Problem.MEDIA_TYPE)
                .entity(answer.problem());
        answer.headers().forEach(builder::header);
        return builder.build();
    }

    /** A failure's answer: the problem and the headers that go with it (WWW-Authenticate, Retry-After). */
    public record Answer(Problem problem, java.util.Map<String, String> headers) {}

    /**
     * The one mapping from a failure to its answer, for REST resources (above) and for the few plain
     * Vert.x routes (hot paths) alike; counts overload refusals on the way.
     */
    public static Answer answer(Throwable failure) {
        Throwable cause = unwrap(failure);
        String overload = Overload.cause(cause);
        if (overload != null) {
            Overload.count(overload);
            if (!(cause instanceof ProblemException pe && pe.overloadCause() != null)) {
                cause = Overload.shed(
                        overload, "The service is busy just now; nothing was changed. Retry after the time given.");
            }
        }
        Problem problem = toProblem(cause);
        if (problem.status() == 429 || problem.status() == 503) {
            RefusalMeter.count(
                    problem.status(),
                    overload != null
                            ? overload
                            : problem.type().substring(problem.type().lastIndexOf('/') + 1));
        }
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
        if (problem.status() == 401) {
            headers.put("WWW-Authenticate", "Bearer");
        }
        if (cause instanceof ProblemException pe && pe.retryAfterSec() != null) {
            headers.put("Retry-After", String.valueOf(pe.retryAfterSec()));
        } else if (problem.status() == 503) {
            headers.put("Retry-After", "2");
        }
        return new Answer(problem, headers);
    }

    static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof CompositeException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    static Problem toProblem(Throwable failure) {
        if (failure instanceof ProblemException pe) {
            return pe.toProblem();
        }
        if (failure instanceof ConstraintViolationException cve) {
            List<Problem.FieldError> errors = cve.getConstraintViolations().stream()
                    .map(v ->
                            new Problem.FieldError(fieldName(v.getPropertyPath().toString()), v.getMessage()))
                    .sorted(Comparator.comparing(Problem.FieldError::field))
                    .collect(Collectors.toList());
            return problem(400, "validation", "Invalid input", "The request has invalid fields.", errors);
        }
        if (failure instanceof UnrecognizedPropertyException upe) {
            return problem(
                    400,
                    "validation",
                    "Invalid input",
                    "Unknown field '" + upe.getPropertyName() + "'.",
                    List.of(new Problem.FieldError(upe.getPropertyName(), "unknown field")));
        }
        if (failure instanceof JsonMappingException jme
                && jme.getCause() instanceof InputCoercionException
                && !jme.getPath().isEmpty()) {
            // A number too large for its field (a lessonId past 64 bits): the field's error, not "malformed".
            String expected = "a number within range";
            return problem(
                    400,
                    "validation",
                    "Invalid input",
                    "A field has the wrong type or shape: " + expected + ".",
                    List.of(new Problem.FieldError(field(jme), expected)));
        }
        if (failure instanceof InvalidFormatException || failure instanceof MismatchedInputException) {
            MismatchedInputException mie = (MismatchedInputException) failure;
            String field = field(mie);
            String expected = expected(mie);
            return problem(
                    400,
                    "validation",
                    "Invalid input",
                    "A field has the wrong type or shape: " + expected + ".",
                    field.isEmpty() ? null : List.of(new Problem.FieldError(field, expected)));
        }
        if (failure instanceof JsonProcessingException) {
            return problem(400, "malformed-json", "Malformed JSON", "The request body is not valid JSON.", null);
        }
        if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException) {
            return problem(401, "unauthorized", "Unauthorized", "A valid bearer token is required.", null);
        }
        if (failure instanceof ForbiddenException) {
            return problem(403, "forbidden", "Forbidden", "Your role does not allow this call.", null);
        }
        if (failure instanceof WebApplicationException wae) {
            int status = wae.getResponse().getStatus();
            if (wae.getCause() instanceof JsonProcessingException jpe) {
                return toProblem(jpe);
            }
            if (status == 404
                    && (wae.getCause() instanceof IllegalArgumentException
                            || wae.getCause() instanceof DateTimeParseException)) {
                // JAX-RS answers a path or query parameter that does not convert with 404; it is a bad request.
                return problem(
                        400,
                        "bad-request",
                        "Bad request",
                        "A path or query parameter is not of the expected type (for example, not a whole number).",
                        null);
            }
            return problem(status, slugFor(status), titleFor(status), detailFor(status, wae), null);
        }
        if (failure instanceof PgException pg && "23505".equals(pg.getSqlState())) {
            return problem(409, "conflict", "Conflict", "A record with the same identity already exists.", null);
        }
        if (failure instanceof PgException pg
                && pg.getSqlState() != null
                && pg.getSqlState().startsWith("22")) {
            // A value PostgreSQL cannot take (a NUL, an out-of-range number) that got past validation: the
            // statement failed and changed nothing; it is the request's fault, not the server's.
            LOG.warnf("A request carried a value the database refused (SQL state %s)", pg.getSqlState());
            return problem(400, "bad-request", "Bad request", "The request holds a value that cannot be stored.", null);
        }
        if (failure instanceof PgException pg && "55P03".equals(pg.getSqlState())) {
            // A bounded lock wait ran out (lock_not_available): a long transaction holds what this change
            // needs (a locality move while a roster import counts its learners). Nothing was changed.
            return problem(
                    503,
                    "busy",
                    "Busy",
                    "A conflicting change is in progress (for example a roster import); nothing was changed. "
                            + "Retry in a moment.",
                    null);
        }
        if (Overload.databaseUnavailable(failure)) {
            // The database is restarting or out of reach: nothing was done; the client retries.
            ThrottledLog.warn(LOG, "Database unavailable (" + failure.getClass().getSimpleName() + "): answered 503");
            return problem(
                    503,
                    "unavailable",
                    "Service unavailable",
                    "The service cannot reach its database just now; nothing was changed. Retry shortly.",
                    null);
        }
        SafeLog.error(LOG, "Unexpected failure", failure);
        return problem(
                500, "internal", "Internal error", "Something went wrong on our side; it has been logged.", null);
    }

    /** The JSON path of a field that failed to map: {@code answers.2.choice}. */
    private static String field(JsonMappingException failure) {
        return failure.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()))
                .collect(Collectors.joining("."));
    }

    /** What a mistyped JSON field should have been, in words a client developer reads at once. */
    private static String expected(MismatchedInputException mie) {
        if (mie instanceof InvalidFormatException ife
                && ife.getOriginalMessage() != null
                && ife.getOriginalMessage().startsWith("control characters")) {
            return "control characters are not allowed in text";
        }
        Class<?> type = mie.getTargetType();
        if (type == null) {
            return "wrong type or shape";
        }
        if (type == Integer.class
                || type == int.class
                || type == Long.class
                || type == long.class
                || type == Short.class
                || type == short.class) {
            return "must be a whole number (not text, not a fraction)";
        }
        if (type == Double.class
                || type == double.class
                || type == Float.class
                || type == float.class
                || type == BigDecimal.class) {
            return "must be a number (not text)";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (type == String.class) {
            return "must be text";
        }
        if (type == Instant.class || type == OffsetDateTime.class) {
            return "must be an RFC 3339 time as text, e.g. 2026-11-29T08:00:00Z";
        }
        if (type == LocalDate.class) {
            return "must be a date as text, e.g. 2026-11-29";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "must be an array";
        }
        return "wrong type or shape";
    }

    /** "publish.pkg.modules[1].lessons[0].kind" → "modules[1].lessons[0].kind": the path in the body. */
    private static String fieldName(String path) {
        String clean = path.replace(".<list element>", "").replace("<list element>", "");
        String[] parts = clean.split("\\.", 3);
        return parts.length == 3 ? parts[2] : parts[parts.length - 1];
    }

    private static Problem problem(
            int status, String slug, String title, String detail, List<Problem.FieldError> errors) {
        return new Problem(Problem.TYPE_BASE + slug, title, status, detail, errors);
    }

    private static String slugFor(int status) {
        return switch (status) {
            case 400 -> "bad-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 409 -> "conflict";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            case 429 -> "too-many-requests";
            default -> status >= 500 ? "internal" : "error";
        };
    }

    private static String titleFor(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known != null ? known.getReasonPhrase() : "Error";
    }

    private static String detailFor(int status, WebApplicationException wae) {
        return switch (status) {
            case 404 -> "No such resource.";
            case 405 -> "This method is not allowed here.";
            case 406 -> "No acceptable representation.";
            case 415 -> "This content type is not accepted here.";
            case 413 -> "The request body is too large.";
            default -> wae.getMessage() != null && status < 500 ? wae.getMessage() : titleFor(status);
        };
    }
}
