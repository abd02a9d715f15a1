package org.phocap.progress;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.NotSupportedException;
import java.util.Map;
import org.phocap.auth.BearerCaller;
import org.phocap.platform.RequestGuard;
import org.phocap.platform.RouteAnswers;

/**
 * {@code POST /api/v1/me/heartbeats} as a plain Vert.x route: the hottest call of a wave (every open
 * player, every 10–20 s), and the profile of the REST version spent about 70 % of the event loops'
 * time in Quarkus REST's pipeline, its security interceptors and context propagation, against 13 %
 * in the database client (loadtests/RESULTS.md, round 2). Everything the REST resource did is kept,
 * through the same pieces: the request guard's limits run first (a route like any other), the
 * token is verified by the same cache and mechanism rules ({@link BearerCaller}), the body is read
 * by the application's strict ObjectMapper, the rules are {@link ProgressService#heartbeat}'s, and
 * failures leave through {@link RouteAnswers} as the same problem+json. CORS is Quarkus'
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
    private final RouteAnswers answers;

    public HeartbeatRoute(ProgressService progress, BearerCaller caller, ObjectMapper mapper, RouteAnswers answers) {
        this.progress = progress;
        this.caller = caller;
        this.answers = answers;
        this.reader = mapper.readerFor(Heartbeat.class);
        this.writer = mapper.writerFor(HeartbeatResult.class);
    }

    /** What the path serves; CORS preflights are answered ahead of it by Quarkus' filter. */
    static final String ALLOWED = "POST, OPTIONS";

    void install(@Observes Router router) {
        router.post(PATH).order(RouteAnswers.ORDER).handler(this::handle);
        router.route(PATH).order(RouteAnswers.ORDER).handler(this::otherMethod);
    }

    private void otherMethod(RoutingContext ctx) {
        answers.otherMethod(ctx, ALLOWED);
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
        answers.send(ctx, 200, JSON, Map.of(), writer, result);
    }

    private void fail(RoutingContext ctx, Throwable failure) {
        answers.fail(ctx, failure);
    }
}
