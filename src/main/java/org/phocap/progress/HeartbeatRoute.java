package org.phocap.progress;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotSupportedException;
import java.util.Map;
import org.phocap.auth.BearerCaller;
import org.phocap.platform.Problem;
import org.phocap.platform.ProblemMapper;
import org.phocap.platform.RequestGuard;

/**
 * {@code POST /api/v1/me/heartbeats} as a plain Vert.x route: the hottest call of a wave (every open
 * player, every 10–20 s), and the profile of the REST version spent about 70 % of the event loops'
 * time in Quarkus REST's pipeline, its security interceptors and context propagation, against 13 %
 * in the database client (loadtests/RESULTS.md, round 2). Everything the REST resource did is kept,
 * through the same pieces: the request guard's limits run first (a route like any other), the
 * token is verified by the same cache and mechanism rules ({@link BearerCaller}), the body is read
 * by the application's strict ObjectMapper, the rules are {@link ProgressService#heartbeat}'s, and
 * failures leave through {@link ProblemMapper#answer} as the same problem+json. CORS is Quarkus'
 * filter, ahead of every route. The OpenAPI description is in {@code META-INF/openapi.yaml}.
 */
@ApplicationScoped
public class HeartbeatRoute {
    static final String PATH = "/api/v1/me/heartbeats";
    private static final String JSON = "application/json;charset=UTF-8";

    private final ProgressService progress;
    private final BearerCaller caller;
    private final ObjectReader reader;
    private final ObjectWriter writer;
    private final ObjectWriter problems;

    public HeartbeatRoute(ProgressService progress, BearerCaller caller, ObjectMapper mapper) {
        this.progress = progress;
        this.caller = caller;
        this.reader = mapper.readerFor(Heartbeat.class);
        this.writer = mapper.writerFor(HeartbeatResult.class);
        this.problems = mapper.writerFor(Problem.class);
    }

    /**
     * Ordered after the request guard and Quarkus' CORS filter (order -300) and before Quarkus' HTTP
     * security layer (-200 and up): this route checks its token itself, and the layer's next step,
     * Quarkus REST's auth-failure handler (-199), builds a fresh REST path matcher for every request
     * that is not a REST resource just to name its metrics template (about 6 % of the event loops'
     * time in the profile; this route's metrics template is its fixed path).
     */
    static final int ORDER = -250;

    /** What the path serves; CORS preflights are answered ahead of it by Quarkus' filter. */
    static final String ALLOWED = "POST, OPTIONS";

    void install(@Observes Router router) {
        router.post(PATH).order(ORDER).handler(this::handle);
        // Every other method on the path, as Quarkus REST answers its own resources: OPTIONS says
        // what is allowed, anything else is a 405 problem (without this the request fell through
        // to a 404, and OPTIONS was answered for another resource's methods).
        router.route(PATH).order(ORDER).handler(this::otherMethod);
    }

    private void otherMethod(RoutingContext ctx) {
        ctx.response().putHeader(HttpHeaders.ALLOW, ALLOWED);
        if (ctx.request().method() == HttpMethod.OPTIONS) {
            ctx.response().end();
        } else {
            fail(ctx, new NotAllowedException("POST", new String[] {"OPTIONS"}));
        }
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null || !RequestGuard.isJson(type)) {
            // The same answer Quarkus REST gives for @Consumes, through the same mapping.
            fail(ctx, new NotSupportedException());
            return;
        }
        long learnerId;
        try {
            learnerId =
                    caller.learner(request.getHeader(HttpHeaders.AUTHORIZATION)).id();
        } catch (RuntimeException e) {
            fail(ctx, e);
            return;
        }
        if (ctx.body().available()) {
            // A chunked body the request guard has read already, counting its bytes.
            heartbeat(ctx, learnerId, ctx.body().buffer());
            return;
        }
        request.body().onComplete(read -> {
            if (read.succeeded()) {
                heartbeat(ctx, learnerId, read.result());
            } else {
                fail(ctx, read.cause());
            }
        });
        request.resume();
    }

    private void heartbeat(RoutingContext ctx, long learnerId, Buffer body) {
        try {
            Heartbeat heartbeat = body == null || body.length() == 0 ? null : reader.readValue(body.getBytes());
            progress.heartbeat(learnerId, ctx.request().getHeader("X-Device-Id"), heartbeat)
                    .subscribe()
                    .with(result -> answer(ctx, result), failure -> fail(ctx, failure));
        } catch (Exception e) {
            fail(ctx, e);
        }
    }

    private void answer(RoutingContext ctx, HeartbeatResult result) {
        send(ctx, 200, JSON, Map.of(), writer, result);
    }

    private void fail(RoutingContext ctx, Throwable failure) {
        ProblemMapper.Answer answer = ProblemMapper.answer(failure);
        send(ctx, answer.problem().status(), Problem.MEDIA_TYPE, answer.headers(), problems, answer.problem());
    }

    private void send(
            RoutingContext ctx, int status, String type, Map<String, String> headers, ObjectWriter json, Object value) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return; // the client left; its heartbeat, if committed, is recognised when it retries
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
}
