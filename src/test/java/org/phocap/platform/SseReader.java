package org.phocap.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Reads server-sent events from a real HTTP connection, one at a time. */
public final class SseReader implements AutoCloseable {
    /** A parsed SSE event; retry is the reconnect delay the server asked for, or null. */
    public record Event(String id, String name, String data, Long retry) {}

    private final Stream<String> lines;
    private final Iterator<String> it;

    private SseReader(HttpResponse<Stream<String>> response) {
        this.lines = response.body();
        this.it = lines.iterator();
    }

    /**
     * Opens {@code path} (relative to the app's base URL) as the token's owner, or with no
     * Authorization when the token is null (a stream ticket in the path); expects 200.
     */
    public static SseReader open(URL base, String path, String token, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient()
                .sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
                .get(10, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        return new SseReader(response);
    }

    public Event next() {
        String id = null;
        String name = null;
        StringBuilder data = new StringBuilder();
        Long retry = null;
        while (it.hasNext()) {
            String line = it.next();
            if (line.isEmpty()) {
                if (name != null || data.length() > 0 || retry != null) {
                    return new Event(id, name, data.toString(), retry);
                }
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
            switch (field) {
                case "id" -> id = value;
                case "event" -> name = value;
                case "data" -> data.append(value);
                case "retry" -> retry = Long.valueOf(value);
                default -> {}
            }
        }
        throw new IllegalStateException("stream ended");
    }

    /** Every event until the server ends the stream. */
    public java.util.List<Event> untilEnd() {
        java.util.List<Event> events = new java.util.ArrayList<>();
        while (true) {
            try {
                events.add(next());
            } catch (IllegalStateException ended) {
                return events;
            }
        }
    }

    /** Skips to the event after {@code ready}, answering the events before it. */
    public java.util.List<Event> untilReady() {
        java.util.List<Event> before = new java.util.ArrayList<>();
        Event event;
        while (!"ready".equals((event = next()).name())) {
            before.add(event);
        }
        return before;
    }

    @Override
    public void close() {
        lines.close();
    }
}
