package org.phocap.platform;

import io.vertx.core.http.HttpServerRequest;

/**
 * The client a request comes from, for per-client limits: the TCP peer, or the forwarded client
 * when the peer is a trusted proxy (Quarkus rewrites the remote address then; quarkus.http.proxy.*).
 */
public final class ClientAddress {
    private ClientAddress() {}

    public static String of(HttpServerRequest http) {
        return http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
    }
}
