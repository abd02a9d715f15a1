package org.phocap.progress;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.phocap.campaign.CampaignStore;
import org.phocap.integrity.HeartbeatsObserved;
import org.phocap.platform.Caches;
import org.phocap.platform.Overload;
import org.phocap.platform.SafeLog;
import org.phocap.platform.SyncCache;
import org.phocap.stream.StreamBridge;
import org.phocap.stream.StreamEvents;
import org.phocap.stream.StreamHub;

/**
 * What a committed batch of heartbeats tells the learners' lesson streams: {@code lesson-completed}
 * always (it is stored for replay), {@code progress} at most once per lesson per
 * {@code progress-interval} and only while the learner has the course's stream open here (or,
 * with other instances alive, might have it open there), so the event log does not grow with
 * every heartbeat of learners who are not watching. These are sent
 * after the heartbeats are answered; a failure here loses an event, never a credit.
 */
@ApplicationScoped
public class ProgressEvents {
    private static final Logger LOG = Logger.getLogger(ProgressEvents.class);

    private final StreamEvents events;
    private final StreamHub hub;
    private final StreamBridge bridge;
    private final CompletionOutbox completion;
    /**
     * When each lesson last sent a progress event: at most one per phocap.progress.event-interval,
     * the cache's expiry (phocap.cache."progress-events"); an entry gone means "send".
     */
    private final SyncCache<HeartbeatBatch.LearnerLesson, Boolean> recentProgress;

    private final CampaignStore campaigns;
    private final Event<HeartbeatsObserved> observed;
    /** Learner and course pairs known to have started (phocap.cache."started-enrolments"). */
    private final SyncCache<String, Boolean> started;

    public ProgressEvents(
            StreamEvents events,
            StreamHub hub,
            StreamBridge bridge,
            CompletionOutbox completion,
            CampaignStore campaigns,
            Event<HeartbeatsObserved> observed,
            Caches caches) {
        this.recentProgress = caches.named("progress-events");
        this.started = caches.named("started-enrolments");
        this.observed = observed;
        this.bridge = bridge;
        this.campaigns = campaigns;
        this.events = events;
        this.hub = hub;
        this.completion = completion;
    }

    void committed(ProgressStore.Committed committed) {
        List<ProgressState> changed = committed.changed();
        if (!committed.devices().isEmpty() || !committed.signals().isEmpty()) {
            observed.fire(new HeartbeatsObserved(committed.devices(), committed.signals()));
        }
        markStarted(changed);
        List<StreamEvents.Outgoing> outgoing = new ArrayList<>();
        Map<String, ProgressState> completedCourses = new LinkedHashMap<>();
        boolean peers = bridge.hasPeers();
        for (ProgressState s : changed) {
            long course = s.lesson.courseId();
            var key = new HeartbeatBatch.LearnerLesson(s.learnerId, s.lesson.lessonId());
            if (s.completedNow) {
                outgoing.add(new StreamEvents.Outgoing(course, s.learnerId, "lesson-completed", payload(s)));
                completedCourses.put(s.learnerId + ":" + course, s);
                recentProgress.put(key, Boolean.TRUE);
            } else if (s.added > 0 && (peers || hub.isWatching(course, s.learnerId))) {
                if (!recentProgress.contains(key)) {
                    recentProgress.put(key, Boolean.TRUE);
                    outgoing.add(new StreamEvents.Outgoing(course, s.learnerId, "progress", payload(s)));
                }
            }
        }
        if (outgoing.isEmpty()) {
            return;
        }
        List<Uni<Boolean>> checks = completedCourses.values().stream()
                .map(s -> completion.checkNow(s.learnerId, s.lesson.courseId(), s.completedAt))
                .toList();
        // A busy database skips them with a throttled warning (no error per batch under overload):
        // the stream's next snapshot shows the state, and owed completion checks have their outbox.
        Overload.orSkipped(
                        events.publishAll(outgoing)
                                .chain(() -> checks.isEmpty()
                                        ? Uni.createFrom().voidItem()
                                        : Uni.join()
                                                .all(checks)
                                                .andCollectFailures()
                                                .replaceWithVoid()),
                        LOG,
                        "Publishing progress events")
                .subscribe()
                .with(done -> {}, failure -> SafeLog.error(LOG, "Progress events were not published", failure));
    }

    /**
     * The first credited time of a learner in a course starts their enrolments in the campaigns that
     * teach it (at-risk lists and report counters read that). Learners already known to have started
     * are skipped, so this costs one statement per batch only while learners begin.
     */
    private void markStarted(List<ProgressState> changed) {
        List<Long> learners = new ArrayList<>();
        List<Long> courses = new ArrayList<>();
        List<OffsetDateTime> times = new ArrayList<>();
        for (ProgressState s : changed) {
            if (s.creditedSec > 0 && !started.contains(s.learnerId + ":" + s.lesson.courseId())) {
                learners.add(s.learnerId);
                courses.add(s.lesson.courseId());
                times.add(OffsetDateTime.now(ZoneOffset.UTC));
            }
        }
        if (learners.isEmpty()) {
            return;
        }
        // Skipped while the database is busy: these learners stay unknown as started, so their next
        // credited heartbeat tries again (and a completion starts the enrolment in any case).
        Overload.orSkipped(
                        campaigns
                                .markStarted(
                                        learners.toArray(Long[]::new),
                                        courses.toArray(Long[]::new),
                                        times.toArray(OffsetDateTime[]::new))
                                .replaceWith(Boolean.TRUE),
                        LOG,
                        "Marking enrolments started")
                .subscribe()
                .with(
                        done -> {
                            if (done == null) {
                                return;
                            }
                            for (int i = 0; i < learners.size(); i++) {
                                started.put(learners.get(i) + ":" + courses.get(i), Boolean.TRUE);
                            }
                        },
                        failure -> SafeLog.error(LOG, "Enrolments could not be marked started", failure));
    }

    private static Map<String, Object> payload(ProgressState s) {
        HeartbeatResult r = s.result(0, false);
        return Map.of(
                "lessonId",
                r.lessonId(),
                "progress",
                r.coverage(),
                "creditedSec",
                r.creditedSec(),
                "coveredSec",
                r.coveredSec(),
                "completed",
                r.completed());
    }
}
