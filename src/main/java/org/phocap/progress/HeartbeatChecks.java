package org.phocap.progress;

import java.time.Duration;
import java.time.Instant;
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

    /** Largest seq: 2^53 - 1, the largest whole number a JavaScript player can count to exactly. */
    static final long MAX_SEQ = 9_007_199_254_740_991L;
    /** How far a live heartbeat's sentAt may stray from the server's clock (phones are sometimes a few hours off). */
    static final Duration LIVE_SKEW = Duration.ofHours(24);
    /** How old a replayed heartbeat may be: a wave lasts at most 7 days, and a buffer older than that is of no use. */
    static final Duration REPLAY_AGE = Duration.ofDays(7);
    /** Ids are visible ASCII: no spaces, no control characters (a NUL once failed whole batches). */
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[\\x21-\\x7E]+");

    private HeartbeatChecks() {}

    static void device(String deviceId) {
        if (deviceId == null
                || deviceId.length() > MAX_DEVICE_ID
                || !ID.matcher(deviceId).matches()) {
            throw ProblemException.invalid(
                    "X-Device-Id",
                    "The X-Device-Id header is required: the random id your app keeps (at most " + MAX_DEVICE_ID
                            + " visible ASCII characters).");
        }
    }

    /** Throws a validation problem naming every bad field, each prefixed (e.g. "[3]." in a replay). */
    static void shape(Heartbeat h, String prefix, Instant now, boolean replay) {
        if (h == null) {
            throw ProblemException.invalid(
                    prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1), "A heartbeat is required.");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        if (h.lessonId() == null || h.lessonId() <= 0) {
            errors.add(new Problem.FieldError(prefix + "lessonId", "required, a lesson id"));
        }
        if (h.sessionId() == null
                || h.sessionId().length() > MAX_SESSION_ID
                || !ID.matcher(h.sessionId()).matches()) {
            errors.add(new Problem.FieldError(
                    prefix + "sessionId", "required, 1 to " + MAX_SESSION_ID + " visible ASCII characters"));
        }
        if (h.seq() == null || h.seq() < 0 || h.seq() > MAX_SEQ) {
            errors.add(new Problem.FieldError(prefix + "seq", "required, 0 to " + MAX_SEQ));
        }
        if (h.positionSec() == null || !(h.positionSec() >= 0 && h.positionSec() <= MAX_POSITION_SEC)) {
            errors.add(new Problem.FieldError(prefix + "positionSec", "required, 0 to " + (int) MAX_POSITION_SEC));
        }
        if (h.playing() == null) {
            errors.add(new Problem.FieldError(prefix + "playing", "required, true or false"));
        }
        if (h.sentAt() == null) {
            errors.add(new Problem.FieldError(prefix + "sentAt", "required, an RFC 3339 time"));
        } else if (h.sentAt().isAfter(now.plus(LIVE_SKEW))
                || h.sentAt().isBefore(now.minus(replay ? REPLAY_AGE : LIVE_SKEW))) {
            errors.add(new Problem.FieldError(
                    prefix + "sentAt",
                    replay
                            ? "within the last " + REPLAY_AGE.toDays()
                                    + " days (and not ahead of the server by more than a day)"
                            : "within a day of the server's time; check the device's clock"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(400, "validation", "Invalid input", "The heartbeat has invalid fields.", errors);
        }
    }

    /** A video's position lies within the video (a second of slack for players that round up). */
    static void position(Heartbeat h, LessonMeta lesson, String prefix) {
        if (lesson.isVideo() && h.positionSec() > lesson.durationSec() + 1) {
            throw ProblemException.invalid(
                    prefix + "positionSec", "at most the video's length, " + lesson.durationSec() + " s");
        }
    }
}
