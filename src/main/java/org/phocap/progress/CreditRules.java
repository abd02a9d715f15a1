package org.phocap.progress;

import java.time.Duration;
import java.time.Instant;

/**
 * How much study a heartbeat proves. See {@code docs/progress-credit.md} for the reasons; in short,
 * within one player session the credit between two heartbeats is the smallest of the time that
 * passed on the server, on the client and (video) on the media timeline, and never more than
 * {@link #CAP_SEC}. Only a session's own earlier heartbeat is an anchor: the first heartbeat of a
 * session credits nothing.
 */
final class CreditRules {
    /** The most one interval can credit: players report every 10–20 s, so a longer gap is a pause or a lost network. */
    static final double CAP_SEC = 60;
    /** Slack on server-side elapsed time for network jitter between two heartbeats. */
    static final double SERVER_TOLERANCE_SEC = 2;
    /** A position advance up to this factor of elapsed time (plus one second) counts as normal-speed play. */
    static final double SPEED_TOLERANCE = 1.1;

    private CreditRules() {}

    /**
     * Applies a heartbeat to the state and answers the seconds credited, or -1 when
     * {@code (sessionId, seq)} was already seen (or is older): then nothing changes.
     *
     * @param serverBound the most server-side time allows (elapsed plus tolerance); infinite for
     *                    offline replay, where the caller bounds the batch as a whole instead
     */
    static double apply(ProgressState s, Heartbeat h, String deviceId, double serverBound) {
        boolean sameSession = s.sessionId != null && s.sessionId.equals(h.sessionId());
        if (sameSession && h.seq() <= s.lastSeq) {
            return -1;
        }
        // A position past the lesson's end (players report the media's own length, which may differ
        // from the declared duration by a second) is the end: nothing beyond it is credited or covered.
        double position = s.lesson.isVideo() ? Math.min(h.positionSec(), s.lesson.durationSec()) : h.positionSec();
        double credit = 0;
        if (sameSession) {
            double client = seconds(s.lastSentAt, h.sentAt());
            double window = Math.max(0, Math.min(Math.min(client, serverBound), CAP_SEC));
            if (s.lesson.isVideo()) {
                double advance = position - s.lastPosition;
                boolean played = (s.lastPlaying || h.playing())
                        && advance > 0
                        && advance <= Math.min(client, serverBound) * SPEED_TOLERANCE + 1;
                if (played) {
                    credit = Math.min(window, advance);
                    Coverage.mark(s.coverage, position - credit, position, s.lesson.durationSec());
                }
            } else if (s.lastPlaying && h.playing()) {
                credit = window;
            }
        }
        s.creditedSec += credit;
        s.added += credit;
        s.sessionId = h.sessionId();
        s.lastSeq = h.seq();
        s.deviceId = deviceId;
        s.lastSentAt = h.sentAt();
        s.lastPosition = position;
        s.lastPlaying = h.playing();
        s.heartbeats++;
        return credit;
    }

    /** Whether the state now meets the lesson's completion rule. */
    static boolean meetsCompletion(ProgressState s) {
        LessonMeta lesson = s.lesson;
        return s.lesson.isVideo()
                ? s.coverageRatio() >= lesson.minCoverage() - 1e-9
                : s.creditedSec >= lesson.durationSec() * lesson.minCoverage() - 1e-9;
    }

    static double serverBound(ProgressState s, Instant serverNow) {
        return s.lastServerAt == null ? 0 : seconds(s.lastServerAt, serverNow) + SERVER_TOLERANCE_SEC;
    }

    static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }
}
