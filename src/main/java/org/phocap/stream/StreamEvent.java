package org.phocap.stream;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One event of a lesson stream; learnerId null means every stream of the course. */
public record StreamEvent(long id, long courseId, Long learnerId, String kind, String data) {
    private static final Pattern ANNOUNCEMENT_ID = Pattern.compile("\"announcementId\"\\s*:\\s*(\\d+)");

    boolean isAnnouncement() {
        return "announcement".equals(kind);
    }

    /** The stored announcement this event shows, or null (a broadcast carries none). */
    Long announcementId() {
        Matcher m = data == null ? null : ANNOUNCEMENT_ID.matcher(data);
        return m != null && m.find() ? Long.valueOf(m.group(1)) : null;
    }
}
