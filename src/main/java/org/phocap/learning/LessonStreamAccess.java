package org.phocap.learning;

import io.quarkus.arc.Unremovable;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.UriInfo;
import org.phocap.platform.Overload;
import org.phocap.platform.StreamAccess;
import org.phocap.stream.StreamHub;

/**
 * A lesson stream opens only while this instance holds fewer than {@code phocap.stream.max-open}:
 * past the cap the client gets 503 {@code overloaded} (cause {@code stream-cap}) with a Retry-After
 * of a few seconds and reconnects, through the Service, to an instance with room; the autoscaler
 * adds instances well before every one is full (k8s/base/hpa.yaml).
 */
@ApplicationScoped
@Unremovable
public class LessonStreamAccess implements StreamAccess {
    private final StreamHub hub;

    public LessonStreamAccess(StreamHub hub) {
        this.hub = hub;
    }

    @Override
    public Uni<Void> check(UriInfo uri) {
        if (hub.full()) {
            return Uni.createFrom()
                    .failure(Overload.shed(
                            "stream-cap",
                            "This server holds as many lesson streams as it may; reconnect after the time given.",
                            hub.refusedRetryAfterSec()));
        }
        return Uni.createFrom().voidItem();
    }
}
