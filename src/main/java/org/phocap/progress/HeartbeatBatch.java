package org.phocap.progress;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.phocap.integrity.DeviceSeen;
import org.phocap.integrity.IntegritySignal;
import org.phocap.platform.ProblemException;

/**
 * Applies a group of submissions, in arrival order, to the states loaded (and locked) for them.
 * Pure Java: the store loads before and writes after, inside one transaction.
 *
 * <p>Besides credit it keeps what the integrity signals need, at no extra query: the study time the
 * server saw happen (a submission's credit counts as observed only up to the time since the learner
 * was last heard from, so a replay's invented span is not), the learner's credit on the current
 * day, and the moments their device or day changed.
 */
final class HeartbeatBatch {
    /** Another device counts as studying for this long after its last heartbeat. */
    static final long CONCURRENT_WINDOW_SEC = 60;

    record LearnerLesson(long learnerId, long lessonId) {}

    record Item(Heartbeat heartbeat, LessonMeta lesson) {}

    /** One request's heartbeats: one for {@code /me/heartbeats}, up to 500 for an offline replay. */
    record Submission(long learnerId, String deviceId, Instant receivedAt, boolean replay, List<Item> items) {}

    /** A heartbeat's answer: a result, or the problem that refused it. */
    record Outcome(HeartbeatResult result, ProblemException problem) {}

    /**
     * Where a learner last studied and how much they were credited on that day; {@code version} is
     * the stored one it was read at (0: no row yet).
     */
    record Presence(
            long learnerId,
            String deviceId,
            String sessionId,
            Instant seenAt,
            LocalDate day,
            double dayCreditedSec,
            long version) {}

    final Map<LearnerLesson, ProgressState> states;
    final Map<Long, Presence> presences;
    final Map<LearnerLesson, ProgressState> changed = new LinkedHashMap<>();
    final Map<Long, Presence> changedPresences = new LinkedHashMap<>();
    /**
     * Per submission (in the order applied), what the integrity signals learn from it: the store
     * keeps those of the submissions whose answers stand (a submission redone on the locked path
     * brings its own).
     */
    final List<List<IntegritySignal>> signals = new ArrayList<>();

    final List<DeviceSeen> devices = new ArrayList<>();
    private final PaceLimits limits;

    HeartbeatBatch(Map<LearnerLesson, ProgressState> states, Map<Long, Presence> presences, PaceLimits limits) {
        this.states = states;
        this.presences = presences;
        this.limits = limits;
    }

    List<List<Outcome>> apply(List<Submission> submissions) {
        List<List<Outcome>> answers = new ArrayList<>(submissions.size());
        for (Submission submission : submissions) {
            // Most submissions find nothing: no list until one does.
            signals.add(List.of());
            devices.add(null);
            answers.add(apply(submission));
        }
        return answers;
    }

    private List<Outcome> apply(Submission submission) {
        Instant now = submission.receivedAt();
        Presence presence = presences.get(submission.learnerId());
        if (presence != null
                && !presence.deviceId().equals(submission.deviceId())
                && CreditRules.seconds(presence.seenAt(), now) < CONCURRENT_WINDOW_SEC) {
            ProblemException refused = ProblemException.conflict(
                    "concurrent-session",
                    "Another device studied in this account within the last " + CONCURRENT_WINDOW_SEC
                            + " s; nothing was credited.");
            devices.set(
                    devices.size() - 1,
                    new DeviceSeen(submission.learnerId(), submission.deviceId(), now, false, true));
            return submission.items().stream()
                    .map(i -> new Outcome(null, refused))
                    .toList();
        }
        LocalDate today = LocalDate.ofInstant(now, limits.zone());
        // The server saw this much time pass since it last heard from the learner: no more of this
        // submission's credit, across all its lessons, counts as observed.
        double observedBudget = presence == null ? 0 : Math.max(0, CreditRules.seconds(presence.seenAt(), now));
        double dayBefore = presence != null && today.equals(presence.day()) ? presence.dayCreditedSec() : 0;
        double dayCredited = dayBefore;
        // Offline replays are applied in seq order per session, so arrival order does not matter.
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < submission.items().size(); i++) {
            order.add(i);
        }
        if (submission.replay()) {
            order.sort(Comparator.<Integer, String>comparing(
                            i -> submission.items().get(i).heartbeat().sessionId())
                    .thenComparing(i -> submission.items().get(i).heartbeat().seq()));
        }
        Outcome[] outcomes = new Outcome[order.size()];
        Map<LearnerLesson, Double> replayBudget = new java.util.HashMap<>();
        String lastSession = null;
        for (int index : order) {
            Item item = submission.items().get(index);
            Heartbeat h = item.heartbeat();
            LearnerLesson key =
                    new LearnerLesson(submission.learnerId(), item.lesson().lessonId());
            ProgressState s = states.computeIfAbsent(key, k -> new ProgressState(k.learnerId(), item.lesson()));
            double bound;
            if (submission.replay()) {
                // A replay arrives at once, so server time between its items says nothing; the whole
                // replay of a session that the server already anchored may not exceed the time since.
                bound = replayBudget.computeIfAbsent(
                        key,
                        k -> h.sessionId().equals(s.sessionId)
                                ? CreditRules.serverBound(s, now)
                                : Double.POSITIVE_INFINITY);
            } else {
                bound = CreditRules.serverBound(s, now);
            }
            double credit = CreditRules.apply(s, h, submission.deviceId(), bound);
            if (credit < 0) {
                outcomes[index] = new Outcome(s.result(0, true), null);
                continue;
            }
            if (submission.replay()) {
                replayBudget.put(key, bound - credit);
            }
            double observed = Math.min(credit, observedBudget);
            observedBudget -= observed;
            s.observedSec += observed;
            dayCredited += credit;
            s.lastServerAt = now;
            if (s.completedAt == null && CreditRules.meetsCompletion(s)) {
                s.completedAt = now;
                s.completedNow = true;
                double required = PaceLimits.requiredSec(s.lesson);
                if (s.observedSec < limits.minObservedFraction() * required - 1e-9) {
                    signal(
                            submission.learnerId(),
                            s.lesson.courseId(),
                            "lesson-" + s.lesson.lessonId(),
                            Map.of(
                                    "lessonId",
                                    s.lesson.lessonId(),
                                    "requiredSec",
                                    round(required),
                                    "creditedSec",
                                    round(s.creditedSec),
                                    "observedSec",
                                    round(s.observedSec),
                                    "replay",
                                    submission.replay(),
                                    "at",
                                    now.toString()));
                }
            }
            changed.put(key, s);
            lastSession = h.sessionId();
            outcomes[index] = new Outcome(s.result(credit, false), null);
        }
        if (dayBefore <= limits.maxDaySec() && dayCredited > limits.maxDaySec()) {
            long course = submission.items().get(0).lesson().courseId();
            signal(
                    submission.learnerId(),
                    course,
                    "day-" + today,
                    Map.of(
                            "day",
                            today.toString(),
                            "creditedSec",
                            round(dayCredited),
                            "maxSec",
                            round(limits.maxDaySec())));
        }
        if (presence == null || !presence.deviceId().equals(submission.deviceId()) || !today.equals(presence.day())) {
            devices.set(
                    devices.size() - 1,
                    new DeviceSeen(
                            submission.learnerId(),
                            submission.deviceId(),
                            now,
                            presence != null && !presence.deviceId().equals(submission.deviceId()),
                            false));
        }
        // Even a repeat shows the device is still here, so it keeps the place for this device.
        Presence seen = new Presence(
                submission.learnerId(),
                submission.deviceId(),
                lastSession != null
                        ? lastSession
                        : submission.items().get(0).heartbeat().sessionId(),
                now,
                today,
                dayCredited,
                presence == null ? 0 : presence.version());
        presences.put(submission.learnerId(), seen);
        changedPresences.put(submission.learnerId(), seen);
        return List.of(outcomes);
    }

    private void signal(long learnerId, long courseId, String reason, Map<String, Object> evidence) {
        int last = signals.size() - 1;
        if (signals.get(last).isEmpty()) {
            signals.set(last, new ArrayList<>());
        }
        signals.get(last).add(new IntegritySignal(learnerId, courseId, "IMPLAUSIBLE_PACE", "HIGH", reason, evidence));
    }

    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }
}
