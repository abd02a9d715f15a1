package org.phocap.progress;

import java.time.Instant;
import java.util.BitSet;

/** One learner's aggregated state on one lesson, as stored in lesson_progress; changed in place by the rules. */
final class ProgressState {
    final long learnerId;
    final LessonMeta lesson;
    double creditedSec;
    /** The part of the credit the server saw happen (see HeartbeatBatch). */
    double observedSec;

    BitSet coverage = new BitSet();
    Instant completedAt;
    String sessionId;
    long lastSeq;
    String deviceId;
    Instant lastServerAt;
    Instant lastSentAt;
    double lastPosition;
    boolean lastPlaying;
    int heartbeats;
    /** The stored version this state was read at (0: no row yet); the write expects it unchanged. */
    long version;
    /** Credit added by the heartbeats of the batch being written (for events and metrics). */
    double added;

    boolean completedNow;

    ProgressState(long learnerId, LessonMeta lesson) {
        this.learnerId = learnerId;
        this.lesson = lesson;
    }

    /** A working copy for a batch: the cached state stays as committed until the batch is. */
    ProgressState copy() {
        ProgressState c = new ProgressState(learnerId, lesson);
        c.creditedSec = creditedSec;
        c.observedSec = observedSec;
        c.coverage = (java.util.BitSet) coverage.clone();
        c.completedAt = completedAt;
        c.sessionId = sessionId;
        c.lastSeq = lastSeq;
        c.deviceId = deviceId;
        c.lastServerAt = lastServerAt;
        c.lastSentAt = lastSentAt;
        c.lastPosition = lastPosition;
        c.lastPlaying = lastPlaying;
        c.heartbeats = heartbeats;
        c.version = version;
        return c;
    }

    int coveredSec() {
        return lesson.isVideo()
                ? Coverage.coveredSec(coverage, lesson.durationSec())
                : (int) Math.min(creditedSec, lesson.durationSec());
    }

    double coverageRatio() {
        return lesson.durationSec() == 0 ? 1.0 : Math.min(1.0, (double) coveredSec() / lesson.durationSec());
    }

    HeartbeatResult result(double addedSec, boolean duplicate) {
        return new HeartbeatResult(
                lesson.lessonId(),
                Math.round(creditedSec * 10) / 10.0,
                coveredSec(),
                Math.round(coverageRatio() * 1000) / 1000.0,
                completedAt != null,
                Math.round(addedSec * 10) / 10.0,
                duplicate);
    }
}
