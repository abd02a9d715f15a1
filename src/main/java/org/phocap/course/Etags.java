package org.phocap.course;

import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;

/** Strong entity tags with revalidation: a cache (or a CDN) may keep the body but must ask first. */
final class Etags {
    private Etags() {}

    static Response respond(String ifNoneMatch, String etag, Object body) {
        EntityTag tag = new EntityTag(etag);
        CacheControl cache = new CacheControl();
        cache.setPrivate(true);
        cache.setNoCache(true);
        if (matches(ifNoneMatch, etag)) {
            return Response.notModified(tag).cacheControl(cache).build();
        }
        return Response.ok(body).tag(tag).cacheControl(cache).build();
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.strip();
            if (c.equals("*") || c.equals("\"" + etag + "\"")) {
                return true;
            }
        }
        return false;
    }
}
