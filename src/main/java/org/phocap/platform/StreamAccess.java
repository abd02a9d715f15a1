package org.phocap.platform;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.UriInfo;

/**
 * The access check of a Server-Sent Events endpoint, run before the stream starts. A stream's
 * status line goes out as soon as it opens, so a refusal raised inside the stream could only
 * break it; run here, it is an ordinary 404 problem. See {@link CheckedBeforeStream}.
 */
public interface StreamAccess {
    /** Fails with a {@link ProblemException} when the caller may not open the stream at this URI. */
    Uni<Void> check(UriInfo uri);

    /** A path parameter as a positive long, or 404 (a stream of something that cannot exist). */
    static long idParam(UriInfo uri, String name) {
        String text = uri.getPathParameters().getFirst(name);
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // Falls through to the problem below.
        }
        throw ProblemException.badRequest("The path parameter '" + name + "' must be a positive whole number.");
    }
}
