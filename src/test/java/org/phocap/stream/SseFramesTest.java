package org.phocap.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseFramesTest {
    static String text(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }

    @Test
    void anEventIsItsIdNameAndDataThenABlankLine() {
        StreamEvent event = new StreamEvent(42, 7, 9L, "lesson", "{\"title\":\"Bài 1: Điện thoại\"}");
        assertEquals("id:42\nevent:lesson\ndata:{\"title\":\"Bài 1: Điện thoại\"}\n\n", text(SseFrames.of(event, 0)));
    }

    @Test
    void lineBreaksInDataStartNewDataLinesAndEndANameField() {
        assertEquals(
                "id:1\nevent:a\ndata:x\ndata:y\ndata:z\ndata:\n\n", text(SseFrames.encode(1, "a\nb", "x\r\ny\rz\n")));
        assertEquals("id:1\n\n", text(SseFrames.encode(1, null, null)));
    }

    @Test
    void keepAliveIsACommentAndTheServersCloseCarriesItsRetry() {
        assertEquals(":keep-alive\n\n", text(SseFrames.of(StreamHub.PING, 0)));
        assertEquals(
                ":server closing this stream; reconnect with Last-Event-ID\nretry:4500\n\n",
                text(SseFrames.of(StreamHub.RECONNECT, 4500)));
    }

    @Test
    void oneEventDeliveredToManyStreamsIsEncodedOnce() {
        StreamEvent broadcast = new StreamEvent(5, 7, null, "announcement", "{\"text\":\"Chào\"}");
        byte[] first = SseFrames.of(broadcast, 0);
        assertSame(first, SseFrames.of(broadcast, 0));
        // An equal event that is another object is encoded again, to the same bytes.
        byte[] other = SseFrames.of(new StreamEvent(5, 7, null, "announcement", "{\"text\":\"Chào\"}"), 0);
        assertArrayEquals(first, other);
    }
}
