package org.phocap.progress;

import java.util.ArrayList;
import java.util.List;
import org.phocap.platform.Problem;
import org.phocap.platform.ProblemException;

/** The shape a heartbeat must have before any rule looks at it. */
final class HeartbeatChecks {
    static final int MAX_DEVICE_ID = 100;
    static final int MAX_SESSION_ID = 64;
    /** Twelve hours: no lesson is longer, and it keeps a coverage bitmap small. */
    static final double MAX_POSITION_SEC = 43_200;

    private HeartbeatChecks() {}

    static void device(String deviceId) {
        if (deviceId == null || deviceId.isBlank() || deviceId.length() > MAX_DEVICE_ID) {
            throw ProblemException.invalid("X-Device-Id",
                    "The X-Device-Id header is required: the random id your app keeps (at most " + MAX_DEVICE_ID + " characters).");
        }
    }

    /** Throws a validation problem naming every bad field, each prefixed (e.g. "[3]." in a replay). */
    static void shape(Heartbeat h, String prefix) {
        if (h == null) {
            throw ProblemException.invalid(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1), "A heartbeat is required.");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        if (h.lessonId() == null || h.lessonId() <= 0) {
            errors.add(new Problem.FieldError(prefix + "lessonId", "required, a lesson id"));
        }
        if (h.sessionId() == null || h.sessionId().isBlank() || h.sessionId().length() > MAX_SESSION_ID) {
            errors.add(new Problem.FieldError(prefix + "sessionId", "required, 1 to " + MAX_SESSION_ID + " characters"));
        }
        if (h.seq() == null || h.seq() < 0) {
            errors.add(new Problem.FieldError(prefix + "seq", "required, 0 or more"));
        }
        if (h.positionSec() == null || !(h.positionSec() >= 0 && h.positionSec() <= MAX_POSITION_SEC)) {
            errors.add(new Problem.FieldError(prefix + "positionSec", "required, 0 to " + (int) MAX_POSITION_SEC));
        }
        if (h.playing() == null) {
            errors.add(new Problem.FieldError(prefix + "playing", "required, true or false"));
        }
        if (h.sentAt() == null) {
            errors.add(new Problem.FieldError(prefix + "sentAt", "required, an RFC 3339 time"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(400, "validation", "Invalid input", "The heartbeat has invalid fields.", errors);
        }
    }
}
