package org.phocap.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotAllowedException;
import java.util.Map;

/**
 * How the few plain Vert.x routes (the hot paths that skip Quarkus REST) answer: JSON bodies, and
 * failures as the same problem+json, with the same headers, that {@link ProblemMapper} gives REST
 * resources; other methods on a route's path as Quarkus REST answers its own resources.
 */
@ApplicationScoped
public class RouteAnswers {
    /**
     * Ordered after the request guard and Quarkus' CORS filter (order -300) and before Quarkus' HTTP
     * security layer (-200 and up): these routes check their tokens themselves, and the layer's next step,
     * Quarkus REST's auth-failure handler (-199), builds a fresh REST path matcher for every request
     * that is not a REST resource just to name its metrics template (about 6 % of the event loops'
     * time in the profile; a route's metrics template is its own path pattern).
     */
    public static final int ORDER = -250;

    private final ObjectWriter problems;

    public RouteAnswers(ObjectMapper mapper) {
        this.problems = mapper.writerFor(Problem.class);
    }

    /** The failure's problem answer (nothing when the client has gone or an answer is out already). */
    public void fail(RoutingContext ctx, Throwable failure) {
        ProblemMapper.Answer answer = ProblemMapper.answer(failure);
        send(ctx, answer.problem().status(), Problem.MEDIA_TYPE, answer.headers(), problems, answer.problem());
    }

    /** {@code value} written by {@code json} as the whole answer. */
    public void send(
            RoutingContext ctx, int status, String type, Map<String, String> headers, ObjectWriter json, Object value) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed() || response.headWritten()) {
            return;
        }
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(value);
        } catch (Exception e) {
            if (value instanceof Problem) {
                ctx.fail(500, e);
            } else {
                fail(ctx, e);
            }
            return;
        }
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, type);
        headers.forEach(response::putHeader);
        response.end(Buffer.buffer(bytes));
    }

    /**
     * A method the route does not serve: OPTIONS says what is allowed, anything else is a 405
     * problem (without this the request fell through to a 404, and OPTIONS was answered for another
     * resource's methods). CORS preflights are answered ahead of every route by Quarkus' filter.
     */
    public void otherMethod(RoutingContext ctx, String allowed) {
        ctx.response().putHeader(HttpHeaders.ALLOW, allowed);
        if (ctx.request().method() == HttpMethod.OPTIONS) {
            ctx.response().end();
        } else {
            String[] methods = allowed.split(",\\s*");
            fail(ctx, new NotAllowedException(methods[0], java.util.Arrays.copyOfRange(methods, 1, methods.length)));
        }
    }
}
