package org.phocap.platform;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;

/**
 * The first look at every request, before anything reads its body:
 * <ul>
 * <li>a request line or headers over their limits get 414 / 431 as problem+json (the HTTP codec's
 * own limits are set higher, so that it never answers them with an empty body);</li>
 * <li>control characters in the path or query (a {@code %00}) get 400;</li>
 * <li>a body without {@code Content-Type} gets 415 (it is never guessed to be JSON);</li>
 * <li>a JSON body is held to its endpoint's limit ({@code phocap.http.json-limits}, else
 * {@code phocap.http.max-json-bytes}) before anything parses it: a declared length is checked at
 * once; a chunked body is read here, counting the bytes as they arrive, so that a client streaming
 * hundreds of megabytes costs at most the limit plus one chunk. Past the limit the answer is 413
 * and the connection is closed.</li>
 * </ul>
 * Uploads (CSV, XLSX, zip, media) stream to disk under their own limits.
 */
@ApplicationScoped
public class RequestGuard {
    private static final String CHECKED = "phocap.request-guard";
    private final long maxJsonBytes;
    private final int maxRequestLine;
    private final int maxHeaderBytes;
    private final Json json;

    /** Path rules, longest first: an exact path, or a prefix ending in '/'. */
    private final java.util.List<Map.Entry<String, Long>> jsonLimits;

    public RequestGuard(Json json, HttpConfig httpConfig) {
        long maxJsonBytes = httpConfig.maxJsonBytes();
        Map<String, Long> jsonLimits = httpConfig.jsonLimits();
        int maxRequestLine = httpConfig.maxRequestLine();
        int maxHeaderBytes = httpConfig.maxHeaderBytes();
        this.json = json;
        this.maxJsonBytes = maxJsonBytes;
        this.jsonLimits = jsonLimits.entrySet().stream()
                .sorted(java.util.Comparator.comparingInt(
                                (Map.Entry<String, Long> e) -> e.getKey().length())
                        .reversed())
                .toList();
        this.maxRequestLine = maxRequestLine;
        this.maxHeaderBytes = maxHeaderBytes;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (ctx.get(CHECKED) != null || EncodedColonPaths.encoded(request.path())) {
            // Checked already; or about to be rerouted to its plain path (EncodedColonPaths), where
            // it passes here again and is checked then, before its body is read.
            ctx.next();
            return;
        }
        ctx.put(CHECKED, Boolean.TRUE);
        String uri = request.uri();
        if (uri.length() > maxRequestLine) {
            refuse(
                    ctx,
                    414,
                    "uri-too-long",
                    "URI too long",
                    "The request URI is limited to " + maxRequestLine + " characters.",
                    false);
            return;
        }
        int headerBytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            headerBytes += header.getKey().length() + header.getValue().length() + 4;
        }
        if (headerBytes > maxHeaderBytes) {
            refuse(
                    ctx,
                    431,
                    "headers-too-large",
                    "Request header fields too large",
                    "The request headers are limited to " + maxHeaderBytes + " bytes.",
                    false);
            return;
        }
        if (hasControl(uri)) {
            refuse(ctx, 400, "bad-request", "Bad request", "The path or query holds a control character.", false);
            return;
        }
        if (!mayHaveBody(request)) {
            ctx.next();
            return;
        }
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null || type.isBlank()) {
            refuse(
                    ctx,
                    415,
                    "unsupported-media-type",
                    "Unsupported media type",
                    "A request with a body must say its Content-Type (application/json for JSON).",
                    true);
            return;
        }
        if (!isJson(type)) {
            ctx.next();
            return;
        }
        readJson(ctx, request);
    }

    /**
     * A declared length is checked and the body left to REST: the HTTP codec never delivers more than
     * it declares. Without one (HTTP/1.1 chunked), the body is read here while its bytes are counted.
     * HTTP/2 has no chunked encoding, and REST cannot take a body read beforehand on HTTP/2, so a JSON
     * body there must declare its length (411 otherwise; every browser and HTTP client does for JSON).
     */
    /** The JSON limit of the endpoint at this path. */
    long limitFor(String path) {
        for (Map.Entry<String, Long> rule : jsonLimits) {
            String key = rule.getKey();
            if (path.equals(key) || (key.endsWith("/") && path.startsWith(key))) {
                return rule.getValue();
            }
        }
        return maxJsonBytes;
    }

    private void readJson(RoutingContext ctx, HttpServerRequest request) {
        long limit = limitFor(request.path());
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                refuse(ctx, 400, "bad-request", "Bad request", "Content-Length is not a number.", true);
                return;
            }
            if (declared > limit) {
                tooLarge(ctx, limit);
            } else {
                ctx.next();
            }
            return;
        }
        if (request.version() == io.vertx.core.http.HttpVersion.HTTP_2) {
            refuse(
                    ctx,
                    411,
                    "length-required",
                    "Length required",
                    "On HTTP/2 a JSON body must declare its Content-Length.",
                    true);
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                refused[0] = true;
                tooLarge(ctx, limit);
                return;
            }
            body.appendBytes(chunk.getBytes());
        });
        request.exceptionHandler(failure -> refused[0] = true);
        request.endHandler(end -> {
            if (!refused[0]) {
                RoutingContextInternal internal = (RoutingContextInternal) ctx;
                internal.setBody(body);
                internal.visitHandler(RoutingContextInternal.BODY_HANDLER);
                ctx.next();
            }
        });
        request.resume();
    }

    private void tooLarge(RoutingContext ctx, long limit) {
        refuse(
                ctx,
                413,
                "payload-too-large",
                "Payload too large",
                "JSON bodies here are limited to " + limit + " bytes.",
                true);
    }

    /** Answers with a problem; when the body is not going to be read, the connection closes after the answer. */
    private void refuse(RoutingContext ctx, int status, String slug, String title, String detail, boolean closeAfter) {
        var response = ctx.response();
        if (response.ended()) {
            return;
        }
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (closeAfter) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(json.write(new Problem(Problem.TYPE_BASE + slug, title, status, detail, null)))
                .onComplete(done -> {
                    if (closeAfter) {
                        ctx.request().connection().close();
                    }
                });
    }

    private static boolean mayHaveBody(HttpServerRequest request) {
        HttpMethod method = request.method();
        if (method != HttpMethod.POST && method != HttpMethod.PUT && method != HttpMethod.PATCH) {
            return false;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null
                || (length != null && !"0".equals(length.trim()));
    }

    public static boolean isJson(String contentType) {
        String base = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return base.equals("application/json") || (base.startsWith("application/") && base.endsWith("+json"));
    }

    /**
     * Whether the path or query holds a control character, raw or percent-encoded (%00–%1F, %7F).
     * Scans the raw text once instead of decoding it: this runs on every request.
     */
    static boolean hasControl(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return true;
            }
            if (c == '%' && i + 2 < uri.length()) {
                char high = uri.charAt(i + 1);
                char low = Character.toUpperCase(uri.charAt(i + 2));
                boolean hex = (low >= '0' && low <= '9') || (low >= 'A' && low <= 'F');
                if (hex && (high == '0' || high == '1' || (high == '7' && low == 'F'))) {
                    return true;
                }
            }
        }
        return false;
    }
}
