package org.phocap.stream;

import java.nio.charset.StandardCharsets;

/**
 * Lesson-stream events as the bytes of the event-stream format (WHATWG HTML, "server-sent events"):
 * {@code id:}, {@code event:}, one {@code data:} line per line of the data, a blank line. The stream
 * route writes these itself, several in one write: the opening's dozen events leave in one system
 * call instead of one each, and an event delivered to thousands of streams is encoded once per
 * event loop instead of once per stream (Quarkus REST's SSE writer looked up a body writer and
 * formatted the text again for every stream and every event).
 */
public final class SseFrames {
    private static final byte[] KEEP_ALIVE = ":keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final String RECONNECT = ":server closing this stream; reconnect with Last-Event-ID\nretry:";

    /** The last event encoded on this thread: a delivery task hands one event to every stream of its loop. */
    private static final ThreadLocal<Encoded> LAST = new ThreadLocal<>();

    private record Encoded(StreamEvent event, byte[] bytes) {}

    private SseFrames() {}

    /**
     * The frame of {@code event}: a comment for the keep-alive, the {@code retry:} hint (with {@code
     * reconnectDelayMs}) for the server's own close, else the event with its id, name and data.
     */
    public static byte[] of(StreamEvent event, long reconnectDelayMs) {
        if (event == StreamHub.PING) {
            return KEEP_ALIVE;
        }
        if (event == StreamHub.RECONNECT) {
            return (RECONNECT + Math.max(0, reconnectDelayMs) + "\n\n").getBytes(StandardCharsets.US_ASCII);
        }
        Encoded last = LAST.get();
        if (last != null && last.event() == event) {
            return last.bytes();
        }
        byte[] bytes = encode(event.id(), event.kind(), event.data());
        LAST.set(new Encoded(event, bytes));
        return bytes;
    }

    /** One event; a line break in the name ends it (as a field of one line), one in the data starts a new {@code data:} line. */
    static byte[] encode(long id, String name, String data) {
        StringBuilder frame = new StringBuilder(32 + (data == null ? 0 : data.length()));
        frame.append("id:").append(id).append('\n');
        if (name != null) {
            frame.append("event:").append(firstLine(name)).append('\n');
        }
        if (data != null) {
            frame.append("data:");
            for (int i = 0; i < data.length(); i++) {
                char c = data.charAt(i);
                if (c == '\r' || c == '\n') {
                    if (c == '\r' && i + 1 < data.length() && data.charAt(i + 1) == '\n') {
                        i++;
                    }
                    frame.append("\ndata:");
                } else {
                    frame.append(c);
                }
            }
            frame.append('\n');
        }
        return frame.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String firstLine(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') {
                return value.substring(0, i);
            }
        }
        return value;
    }
}
