package org.phocap.platform;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Custom-method paths such as {@code /me/heartbeats:batch} arrive from some HTTP clients with the
 * colon percent-encoded ({@code %3A}); both spellings mean the same resource, but REST routing
 * matches the raw path, so the encoded one is rerouted to the plain one.
 */
@ApplicationScoped
public class EncodedColonPaths {
    static boolean encoded(String path) {
        return path.contains("%3A") || path.contains("%3a");
    }

    void install(@Observes Router router) {
        router.route().order(-1000).handler(ctx -> {
            String path = ctx.request().path();
            if (encoded(path)) {
                String query = ctx.request().query();
                String plain = path.replace("%3A", ":").replace("%3a", ":");
                ctx.reroute(query == null ? plain : plain + "?" + query);
            } else {
                ctx.next();
            }
        });
    }
}
