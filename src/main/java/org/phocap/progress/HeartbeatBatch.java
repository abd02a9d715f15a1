package org.phocap.progress;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.phocap.platform.ProblemException;

/**
 * Applies a group of submissions, in arrival order, to the states loaded (and locked) for them.
 * Pure Java: the store loads before and writes after, inside one transaction.
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

    /** Where a learner last studied; {@code version} is the stored one it was read at (0: no row yet). */
    record Presence(long learnerId, String deviceId, String sessionId, Instant seenAt, long version) {}

    final Map<LearnerLesson, ProgressState> states;
    final Map<Long, Presence> presences;
    final Map<LearnerLesson, ProgressState> changed = new LinkedHashMap<>();
    final Map<Long, Presence> changedPresences = new LinkedHashMap<>();

    HeartbeatBatch(Map<LearnerLesson, ProgressState> states, Map<Long, Presence> presences) {
        this.states = states;
        this.presences = presences;
    }

    List<List<Outcome>> apply(List<Submission> submissions) {
        List<List<Outcome>> answers = new ArrayList<>(submissions.size());
        for (Submission submission : submissions) {
            answers.add(apply(submission));
        }
        return answers;
    }

    private List<Outcome> apply(Submission submission) {
        Instant now = submission.receivedAt();
        Presence presence = presences.get(submission.learnerId());
        if (presence != null && !presence.deviceId().equals(submission.deviceId())
                && CreditRules.seconds(presence.seenAt(), now) < CONCURRENT_WINDOW_SEC) {
            ProblemException refused = ProblemException.conflict("concurrent-session",
                    "Another device studied in this account within the last " + CONCURRENT_WINDOW_SEC
                            + " s; nothing was credited.");
            return submission.items().stream().map(i -> new Outcome(null, refused)).toList();
        }
        // Offline replays are applied in seq order per session, so arrival order does not matter.
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < submission.items().size(); i++) {
            order.add(i);
        }
        if (submission.replay()) {
            order.sort(Comparator.<Integer, String>comparing(i -> submission.items().get(i).heartbeat().sessionId())
                    .thenComparing(i -> submission.items().get(i).heartbeat().seq()));
        }
        Outcome[] outcomes = new Outcome[order.size()];
        Map<LearnerLesson, Double> replayBudget = new java.util.HashMap<>();
        String lastSession = null;
        for (int index : order) {
            Item item = submission.items().get(index);
            Heartbeat h = item.heartbeat();
            LearnerLesson key = new LearnerLesson(submission.learnerId(), item.lesson().lessonId());
            ProgressState s = states.computeIfAbsent(key, k -> new ProgressState(k.learnerId(), item.lesson()));
            double bound;
            if (submission.replay()) {
                // A replay arrives at once, so server time between its items says nothing; the whole
                // replay of a session that the server already anchored may not exceed the time since.
                bound = replayBudget.computeIfAbsent(key, k -> h.sessionId().equals(s.sessionId)
                        ? CreditRules.serverBound(s, now) : Double.POSITIVE_INFINITY);
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
            s.lastServerAt = now;
            if (s.completedAt == null && CreditRules.meetsCompletion(s)) {
                s.completedAt = now;
                s.completedNow = true;
            }
            changed.put(key, s);
            lastSession = h.sessionId();
            outcomes[index] = new Outcome(s.result(credit, false), null);
        }
        // Even a repeat shows the device is still here, so it keeps the place for this device.
        Presence seen = new Presence(submission.learnerId(), submission.deviceId(),
                lastSession != null ? lastSession : submission.items().get(0).heartbeat().sessionId(), now,
                presence == null ? 0 : presence.version());
        presences.put(submission.learnerId(), seen);
        changedPresences.put(submission.learnerId(), seen);
        return List.of(outcomes);
    }
}
