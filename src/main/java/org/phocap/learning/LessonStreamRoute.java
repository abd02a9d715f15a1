package org.phocap.learning;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotFoundException;
import org.phocap.auth.BearerCaller;
import org.phocap.platform.RouteAnswers;
import org.phocap.stream.SseResponse;
import org.phocap.stream.StreamHub;

/**
 * {@code GET /api/v1/me/courses/{courseId}/stream} as a plain Vert.x route, like the heartbeat
 * route: every learner of a wave holds one, and a pod restart sends them all back at once. The
 * profile of the REST version (loadtests/RESULTS.md, round 2) spent about a quarter of the event
 * loops' time per opening in Quarkus REST's pipeline and security layer and a sixth in its SSE
 * writer, which wrote each of the opening's dozen events with its own system call. Everything the
 * REST resource did is kept, through the same pieces: the request guard's limits and Quarkus' CORS
 * filter run first; the caller is the stream ticket's ({@code ?ticket=}, for an {@code
 * EventSource}) or the bearer token's, verified as the REST security layer verifies them ({@link
 * BearerCaller}); the checks before the status line and the events are {@link LessonStreams}';
 * failures before the stream opens are the same problem+json ({@link RouteAnswers}). The OpenAPI
 * description is in {@code META-INF/openapi.yaml}.
 */
@ApplicationScoped
public class LessonStreamRoute {
    static final String PATH = "/api/v1/me/courses/:courseId/stream";

    /** What the path serves; CORS preflights are answered ahead of it by Quarkus' filter. */
    static final String ALLOWED = "GET, OPTIONS";

    private final LessonStreams streams;
    private final StreamHub hub;
    private final BearerCaller caller;
    private final RouteAnswers answers;

    public LessonStreamRoute(LessonStreams streams, StreamHub hub, BearerCaller caller, RouteAnswers answers) {
        this.streams = streams;
        this.hub = hub;
        this.caller = caller;
        this.answers = answers;
    }

    void install(@Observes Router router) {
        router.get(PATH).order(RouteAnswers.ORDER).handler(this::handle);
        router.route(PATH).order(RouteAnswers.ORDER).handler(ctx -> answers.otherMethod(ctx, ALLOWED));
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        long courseId;
        try {
            courseId = Long.parseLong(ctx.pathParam("courseId"));
        } catch (NumberFormatException e) {
            // As Quarkus REST answers a path whose {courseId} is not a number: no such resource.
            answers.fail(ctx, new NotFoundException());
            return;
        }
        Context loop = Vertx.currentContext();
        caller.streamLearner(request)
                .flatMap(signIn -> {
                    if (!acceptsEventStream(request.getHeader(HttpHeaders.ACCEPT))) {
                        throw new NotAcceptableException();
                    }
                    return streams.check(signIn.subject().id(), courseId).replaceWith(signIn);
                })
                .subscribe()
                .with(
                        signIn -> {
                            String lastEventId = request.getHeader("Last-Event-ID");
                            // A new EventSource (a reconnect with a fresh ticket) cannot set Last-Event-ID:
                            // it names the last event it saw in the query instead. The header wins.
                            if (lastEventId == null || lastEventId.isBlank()) {
                                lastEventId = request.getParam("lastEventId");
                            }
                            streams.open(
                                            signIn.subject().id(),
                                            courseId,
                                            lastEventId,
                                            signIn.expiresAt(),
                                            signIn.family())
                                    .subscribe()
                                    .withSubscriber(new SseResponse(ctx.response(), loop, hub));
                        },
                        failure -> answers.fail(ctx, failure));
    }

    /** Whether an Accept header takes {@code text/event-stream} (absent: anything), as {@code @Produces} negotiated it. */
    static boolean acceptsEventStream(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (String range : accept.split(",")) {
            int semicolon = range.indexOf(';');
            String type = (semicolon < 0 ? range : range.substring(0, semicolon)).trim();
            if (type.equals("*/*") || type.equalsIgnoreCase("text/*") || type.equalsIgnoreCase("text/event-stream")) {
                return true;
            }
        }
        return false;
    }
}
