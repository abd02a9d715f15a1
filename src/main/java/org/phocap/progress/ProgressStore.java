package org.phocap.progress;

import static org.phocap.platform.Times.utc;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.phocap.integrity.DeviceSeen;
import org.phocap.integrity.IntegritySignal;
import org.phocap.platform.Caches;
import org.phocap.platform.SyncCache;
import org.phocap.progress.HeartbeatBatch.LearnerLesson;
import org.phocap.progress.HeartbeatBatch.Presence;
import org.phocap.progress.HeartbeatBatch.Submission;

/**
 * The hot-path SQL, and the learners' states cached between heartbeats.
 *
 * <p>Fast path (almost every batch): states come from the cache (misses are read in one query),
 * the rules run on copies, and every changed row goes back in one statement that writes a row only
 * if its stored version is still the one read. One round trip per batch, no locks held.
 *
 * <p>Locked path: a submission whose rows another writer changed meanwhile (another instance, an
 * overlapping batch), or whose answer cannot be proven by its own write (a refusal, a repeat on an
 * unchanged lesson), is done again in
 * a transaction that locks its rows in key order first, so those answers always come from the
 * stored state. Re-applying is safe: a heartbeat already stored is recognised by its seq.
 */
@ApplicationScoped
public class ProgressStore {
    /** Lessons completed by a write owe their course a completion check, once per learner and course. */
    private static final String NEEDED_CHECKS = CompletionOutbox.NEEDED_SQL.formatted("""
            (SELECT DISTINCT ON (t.l, t.c) t.l AS learner_id, t.c AS course_id, t.ca AS completed_at,
                    $23::float8 AS retry_after
             FROM unnest($1::bigint[], $3::bigint[], $7::timestamptz[], $22::bool[]) AS t(l, c, ca, n)
             WHERE t.n AND t.l IN (SELECT learner_id FROM p)
             ORDER BY t.l, t.c, t.ca DESC) AS needed""");

    private final Pool pool;
    private final CompletionOutbox outbox;
    private final PaceLimits limits;
    /** States between heartbeats (phocap.cache."progress-states"); a copy is what a batch works on. */
    private final SyncCache<LearnerLesson, ProgressState> cache;
    /** Where each learner last studied (phocap.cache."learner-presence"). */
    private final SyncCache<Long, Presence> presenceCache;

    public ProgressStore(Pool pool, CompletionOutbox outbox, PaceLimits limits, Caches caches) {
        this.cache = caches.named("progress-states");
        this.presenceCache = caches.named("learner-presence");
        this.pool = pool;
        this.outbox = outbox;
        this.limits = limits;
    }

    /**
     * What a committed batch produced: each submission's outcomes, the states it changed, and what
     * the integrity signals learn from the submissions whose answers these are.
     */
    record Committed(
            List<List<HeartbeatBatch.Outcome>> outcomes,
            List<ProgressState> changed,
            List<IntegritySignal> signals,
            List<DeviceSeen> devices) {}

    /** The rows a batch touches, sorted so that locks are always taken in the same order. */
    private record Keys(TreeSet<Long> learners, TreeSet<LearnerLesson> lessons, Map<Long, LessonMeta> meta) {
        static Keys of(List<Submission> submissions) {
            Map<Long, LessonMeta> meta = new HashMap<>();
            TreeSet<Long> learners = new TreeSet<>();
            TreeSet<LearnerLesson> keys = new TreeSet<>(java.util.Comparator.comparingLong(LearnerLesson::learnerId)
                    .thenComparingLong(LearnerLesson::lessonId));
            for (Submission s : submissions) {
                learners.add(s.learnerId());
                for (HeartbeatBatch.Item item : s.items()) {
                    meta.put(item.lesson().lessonId(), item.lesson());
                    keys.add(new LearnerLesson(s.learnerId(), item.lesson().lessonId()));
                }
            }
            return new Keys(learners, keys, meta);
        }
    }

    Uni<Committed> commit(List<Submission> submissions) {
        Keys keys = Keys.of(submissions);
        return cacheMisses(keys).flatMap(ignored -> {
            Map<LearnerLesson, ProgressState> states = new HashMap<>();
            keys.lessons().forEach(k -> {
                ProgressState cached = cache.get(k);
                if (cached != null) {
                    states.put(k, cached.copy());
                }
            });
            Map<Long, Presence> presences = new HashMap<>();
            keys.learners().forEach(l -> {
                Presence cached = presenceCache.get(l);
                if (cached != null) {
                    presences.put(l, cached);
                }
            });
            HeartbeatBatch batch = new HeartbeatBatch(states, presences, limits);
            List<List<HeartbeatBatch.Outcome>> outcomes = new ArrayList<>(batch.apply(submissions));
            return write(pool, batch.changed.values(), batch.changedPresences.values())
                    .flatMap(written -> {
                        List<ProgressState> changed = new ArrayList<>();
                        for (ProgressState s : batch.changed.values()) {
                            LearnerLesson key = new LearnerLesson(s.learnerId, s.lesson.lessonId());
                            if (written.lessons().contains(key)) {
                                s.version++;
                                changed.add(s);
                                remember(key, s);
                            } else {
                                cache.remove(key);
                            }
                        }
                        for (Presence p : batch.changedPresences.values()) {
                            if (written.learners().contains(p.learnerId())) {
                                presenceCache.put(
                                        p.learnerId(),
                                        new Presence(
                                                p.learnerId(),
                                                p.deviceId(),
                                                p.sessionId(),
                                                p.seenAt(),
                                                p.day(),
                                                p.dayCreditedSec(),
                                                p.version() + 1));
                            } else {
                                presenceCache.remove(p.learnerId());
                            }
                        }
                        List<Integer> redo = new ArrayList<>();
                        for (int i = 0; i < submissions.size(); i++) {
                            if (!plainCredit(submissions.get(i), outcomes.get(i), written)) {
                                redo.add(i);
                                forget(submissions.get(i));
                            }
                        }
                        List<IntegritySignal> signals = new ArrayList<>();
                        List<DeviceSeen> devices = new ArrayList<>();
                        for (int i = 0; i < submissions.size(); i++) {
                            if (!redo.contains(i)) {
                                signals.addAll(batch.signals.get(i));
                                if (batch.devices.get(i) != null) {
                                    devices.add(batch.devices.get(i));
                                }
                            }
                        }
                        if (redo.isEmpty()) {
                            return Uni.createFrom().item(new Committed(outcomes, changed, signals, devices));
                        }
                        List<Submission> again =
                                redo.stream().map(submissions::get).toList();
                        return commitLocked(again).map(locked -> {
                            for (int k = 0; k < redo.size(); k++) {
                                outcomes.set(redo.get(k), locked.outcomes().get(k));
                            }
                            again.forEach(this::forget);
                            changed.addAll(locked.changed());
                            signals.addAll(locked.signals());
                            devices.addAll(locked.devices());
                            return new Committed(outcomes, changed, signals, devices);
                        });
                    });
        });
    }

    /**
     * Whether the fast path may answer this submission: nothing refused, and every row it touched
     * written, which proves the state its answers came from was the stored one (a repeat on a lesson
     * nothing in the batch changed proves nothing, so it goes to the locked path).
     */
    private static boolean plainCredit(Submission s, List<HeartbeatBatch.Outcome> outcomes, Written written) {
        for (HeartbeatBatch.Outcome o : outcomes) {
            if (o.problem() != null) {
                return false;
            }
        }
        if (!written.learners().contains(s.learnerId())) {
            return false;
        }
        for (HeartbeatBatch.Item item : s.items()) {
            if (!written.lessons()
                    .contains(new LearnerLesson(s.learnerId(), item.lesson().lessonId()))) {
                return false;
            }
        }
        return true;
    }

    private void forget(Submission s) {
        presenceCache.remove(s.learnerId());
        s.items()
                .forEach(i ->
                        cache.remove(new LearnerLesson(s.learnerId(), i.lesson().lessonId())));
    }

    private void remember(LearnerLesson key, ProgressState s) {
        cache.put(key, s.copy());
    }

    /** Reads the rows the cache lacks (without locks) and caches them; absent rows stay absent. */
    private Uni<Void> cacheMisses(Keys keys) {
        TreeSet<Long> learners = new TreeSet<>();
        keys.learners().forEach(l -> {
            if (!presenceCache.contains(l)) {
                learners.add(l);
            }
        });
        TreeSet<LearnerLesson> lessons = new TreeSet<>(keys.lessons().comparator());
        keys.lessons().forEach(k -> {
            if (!cache.contains(k)) {
                lessons.add(k);
            }
        });
        if (learners.isEmpty() && lessons.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.combine()
                .all()
                .unis(
                        learners.isEmpty()
                                ? Uni.createFrom().item(Map.<Long, Presence>of())
                                : loadPresences(pool, learners, false),
                        lessons.isEmpty()
                                ? Uni.createFrom().item(Map.<LearnerLesson, ProgressState>of())
                                : loadStates(pool, lessons, keys.meta(), false))
                .asTuple()
                .invoke(loaded -> {
                    loaded.getItem1().forEach(presenceCache::putIfAbsent);
                    loaded.getItem2().forEach(cache::putIfAbsent);
                })
                .replaceWithVoid();
    }

    /** The locked path: rows locked in key order, rules applied to what is stored, written back. */
    private Uni<Committed> commitLocked(List<Submission> submissions) {
        Keys keys = Keys.of(submissions);
        return pool.withTransaction(conn -> loadPresences(conn, keys.learners(), true)
                .flatMap(presences -> loadStates(conn, keys.lessons(), keys.meta(), true)
                        .map(states -> new HeartbeatBatch(states, presences, limits)))
                .flatMap(batch -> {
                    List<List<HeartbeatBatch.Outcome>> outcomes = batch.apply(submissions);
                    List<ProgressState> changed = new ArrayList<>(batch.changed.values());
                    return write(conn, changed, batch.changedPresences.values()).map(written -> {
                        if (written.lessons().size() != changed.size()
                                || written.learners().size() != batch.changedPresences.size()) {
                            // A row that did not exist when locked was inserted meanwhile: roll back, answer 503.
                            throw new IllegalStateException("progress rows changed under a locked batch");
                        }
                        List<IntegritySignal> signals = new ArrayList<>();
                        batch.signals.forEach(signals::addAll);
                        List<DeviceSeen> devices = batch.devices.stream()
                                .filter(java.util.Objects::nonNull)
                                .toList();
                        return new Committed(outcomes, changed, signals, devices);
                    });
                }));
    }

    private static Uni<Map<Long, Presence>> loadPresences(SqlClient client, TreeSet<Long> learners, boolean lock) {
        return client.preparedQuery("SELECT learner_id, device_id, session_id, seen_at, version, day, day_credited_sec "
                        + "FROM learner_presence "
                        + "WHERE learner_id = ANY($1) ORDER BY learner_id" + (lock ? " FOR UPDATE" : ""))
                .execute(Tuple.of(learners.toArray(Long[]::new)))
                .map(rows -> {
                    Map<Long, Presence> found = new HashMap<>();
                    for (Row r : rows) {
                        found.put(
                                r.getLong(0),
                                new Presence(
                                        r.getLong(0),
                                        r.getString(1),
                                        r.getString(2),
                                        r.getOffsetDateTime(3).toInstant(),
                                        r.getLocalDate(5),
                                        r.getDouble(6),
                                        r.getLong(4)));
                    }
                    return found;
                });
    }

    private static Uni<Map<LearnerLesson, ProgressState>> loadStates(
            SqlClient client, TreeSet<LearnerLesson> keys, Map<Long, LessonMeta> lessons, boolean lock) {
        return client.preparedQuery("""
                        SELECT lp.*, lp.coverage::text AS bits FROM lesson_progress lp
                        JOIN unnest($1::bigint[], $2::bigint[]) AS k(learner_id, lesson_id) USING (learner_id, lesson_id)
                        ORDER BY learner_id, lesson_id""" + (lock ? " FOR UPDATE OF lp" : ""))
                .execute(Tuple.of(
                        keys.stream().map(LearnerLesson::learnerId).toArray(Long[]::new),
                        keys.stream().map(LearnerLesson::lessonId).toArray(Long[]::new)))
                .map(rows -> {
                    Map<LearnerLesson, ProgressState> found = new HashMap<>();
                    for (Row r : rows) {
                        ProgressState s = read(r, lessons.get(r.getLong("lesson_id")));
                        found.put(new LearnerLesson(s.learnerId, s.lesson.lessonId()), s);
                    }
                    return found;
                });
    }

    static ProgressState read(Row r, LessonMeta lesson) {
        ProgressState s = new ProgressState(r.getLong("learner_id"), lesson);
        s.creditedSec = r.getDouble("credited_sec");
        Double observed = r.getDouble("observed_sec");
        // Rows from before observed time was kept (V20): their credit counts as observed.
        s.observedSec = observed == null ? s.creditedSec : observed;
        s.coverage = Coverage.parse(r.getString("bits"));
        OffsetDateTime completed = r.getOffsetDateTime("completed_at");
        s.completedAt = completed == null ? null : completed.toInstant();
        s.sessionId = r.getString("session_id");
        s.lastSeq = r.getLong("last_seq");
        s.deviceId = r.getString("device_id");
        s.lastServerAt = r.getOffsetDateTime("last_server_at").toInstant();
        s.lastSentAt = r.getOffsetDateTime("last_sent_at").toInstant();
        s.lastPosition = r.getDouble("last_position");
        s.lastPlaying = r.getBoolean("last_playing");
        s.heartbeats = r.getInteger("heartbeats");
        s.version = r.getLong("version");
        return s;
    }

    /** The rows a write changed; a row left out had a newer version than the one read. */
    record Written(Set<Long> learners, Set<LearnerLesson> lessons) {}

    /**
     * Writes changed states and presences in one statement (one round trip, one transaction), each
     * row only if its stored version is still the one read, and a learner's lesson rows only when
     * their presence row was written; answers which rows were written. Every submission that
     * changes a lesson also changes its learner's presence, so a learner is written whole or not at all.
     * A lesson completed by this write owes its course a completion check: that need is written in
     * the same statement ({@link CompletionOutbox}).
     */
    private Uni<Written> write(
            SqlClient client,
            java.util.Collection<ProgressState> unsortedStates,
            java.util.Collection<Presence> presences) {
        if (unsortedStates.isEmpty() && presences.isEmpty()) {
            return Uni.createFrom().item(new Written(Set.of(), Set.of()));
        }
        // Rows are written (and so locked) in key order, as the locked path reads them: two batches
        // touching the same learners then wait for each other instead of deadlocking.
        List<ProgressState> states = new ArrayList<>(unsortedStates);
        states.sort(java.util.Comparator.<ProgressState>comparingLong(st -> st.learnerId)
                .thenComparingLong(st -> st.lesson.lessonId()));
        int n = states.size();
        Long[] learner = new Long[n];
        Long[] lesson = new Long[n];
        Long[] course = new Long[n];
        Double[] credited = new Double[n];
        String[] bits = new String[n];
        Integer[] covered = new Integer[n];
        OffsetDateTime[] completed = new OffsetDateTime[n];
        String[] session = new String[n];
        Long[] seq = new Long[n];
        String[] device = new String[n];
        OffsetDateTime[] serverAt = new OffsetDateTime[n];
        OffsetDateTime[] sentAt = new OffsetDateTime[n];
        Double[] position = new Double[n];
        Boolean[] playing = new Boolean[n];
        Integer[] heartbeats = new Integer[n];
        Long[] version = new Long[n];
        Boolean[] completedNow = new Boolean[n];
        Double[] observed = new Double[n];
        int i = 0;
        for (ProgressState s : states) {
            learner[i] = s.learnerId;
            lesson[i] = s.lesson.lessonId();
            course[i] = s.lesson.courseId();
            credited[i] = s.creditedSec;
            bits[i] = s.lesson.isVideo() ? Coverage.format(s.coverage, Coverage.buckets(s.lesson.durationSec())) : "";
            covered[i] = s.coveredSec();
            completed[i] = utc(s.completedAt);
            session[i] = s.sessionId;
            seq[i] = s.lastSeq;
            device[i] = s.deviceId;
            serverAt[i] = utc(s.lastServerAt);
            sentAt[i] = utc(s.lastSentAt);
            position[i] = s.lastPosition;
            playing[i] = s.lastPlaying;
            heartbeats[i] = s.heartbeats;
            version[i] = s.version + 1;
            completedNow[i] = s.completedNow;
            observed[i] = s.observedSec;
            i++;
        }
        List<Presence> ps = new ArrayList<>(presences);
        ps.sort(java.util.Comparator.comparingLong(Presence::learnerId));
        return client.preparedQuery("""
                        WITH p AS (
                            INSERT INTO learner_presence (learner_id, device_id, session_id, seen_at, version, day, day_credited_sec)
                            SELECT * FROM unnest($17::bigint[], $18::text[], $19::text[], $20::timestamptz[], $21::bigint[],
                                                 $25::date[], $26::float8[])
                            ON CONFLICT (learner_id) DO UPDATE SET device_id = EXCLUDED.device_id,
                                session_id = EXCLUDED.session_id, seen_at = EXCLUDED.seen_at, version = EXCLUDED.version,
                                day = EXCLUDED.day, day_credited_sec = EXCLUDED.day_credited_sec
                            WHERE learner_presence.version = EXCLUDED.version - 1
                            RETURNING learner_id),
                        s AS (
                            INSERT INTO lesson_progress (learner_id, lesson_id, course_id, credited_sec, coverage, covered_sec,
                                   completed_at, session_id, last_seq, device_id, last_server_at, last_sent_at, last_position,
                                   last_playing, heartbeats, version, observed_sec)
                            SELECT l, le, c, cr, b::varbit, cs, ca, si, sq, d, sa, se, p, pl, h, v, ob
                            FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::float8[], $5::text[], $6::int[],
                                        $7::timestamptz[], $8::text[], $9::bigint[], $10::text[], $11::timestamptz[],
                                        $12::timestamptz[], $13::float8[], $14::bool[], $15::int[], $16::bigint[],
                                        $24::float8[])
                                 AS t(l, le, c, cr, b, cs, ca, si, sq, d, sa, se, p, pl, h, v, ob)
                            -- A learner's lessons are written only with the learner's presence, so a
                            -- submission is never half written when another writer got there first.
                            WHERE t.l IN (SELECT learner_id FROM p)
                            ON CONFLICT (learner_id, lesson_id) DO UPDATE SET
                                credited_sec = EXCLUDED.credited_sec,
                                coverage = CASE WHEN length(lesson_progress.coverage) = length(EXCLUDED.coverage)
                                                THEN lesson_progress.coverage | EXCLUDED.coverage ELSE EXCLUDED.coverage END,
                                covered_sec = EXCLUDED.covered_sec,
                                completed_at = coalesce(lesson_progress.completed_at, EXCLUDED.completed_at),
                                session_id = EXCLUDED.session_id, last_seq = EXCLUDED.last_seq, device_id = EXCLUDED.device_id,
                                last_server_at = EXCLUDED.last_server_at, last_sent_at = EXCLUDED.last_sent_at,
                                last_position = EXCLUDED.last_position, last_playing = EXCLUDED.last_playing,
                                heartbeats = EXCLUDED.heartbeats, version = EXCLUDED.version,
                                observed_sec = EXCLUDED.observed_sec
                            WHERE lesson_progress.version = EXCLUDED.version - 1
                            RETURNING learner_id, lesson_id),
                        o AS (""" + NEEDED_CHECKS + """
                        )
                        SELECT learner_id, NULL::bigint AS lesson_id FROM p
                        UNION ALL SELECT learner_id, lesson_id FROM s""")
                .execute(Tuple.from(new Object[] {
                    learner,
                    lesson,
                    course,
                    credited,
                    bits,
                    covered,
                    completed,
                    session,
                    seq,
                    device,
                    serverAt,
                    sentAt,
                    position,
                    playing,
                    heartbeats,
                    version,
                    ps.stream().map(Presence::learnerId).toArray(Long[]::new),
                    ps.stream().map(Presence::deviceId).toArray(String[]::new),
                    ps.stream().map(Presence::sessionId).toArray(String[]::new),
                    ps.stream().map(p -> utc(p.seenAt())).toArray(OffsetDateTime[]::new),
                    ps.stream().map(p -> p.version() + 1).toArray(Long[]::new),
                    completedNow,
                    outbox.retryAfterSec(),
                    observed,
                    ps.stream().map(Presence::day).toArray(java.time.LocalDate[]::new),
                    ps.stream().map(Presence::dayCreditedSec).toArray(Double[]::new)
                }))
                .map(rows -> {
                    Set<Long> learners = new HashSet<>();
                    Set<LearnerLesson> lessons = new HashSet<>();
                    for (Row r : rows) {
                        Long lessonId = r.getLong(1);
                        if (lessonId == null) {
                            learners.add(r.getLong(0));
                        } else {
                            lessons.add(new LearnerLesson(r.getLong(0), lessonId));
                        }
                    }
                    return new Written(learners, lessons);
                });
    }

    /** The learner's stored state on every lesson of the given ids that they have touched. */
    Uni<Map<Long, ProgressState>> states(long learnerId, Map<Long, LessonMeta> lessons) {
        return pool.preparedQuery("""
                        SELECT lp.*, lp.coverage::text AS bits FROM lesson_progress lp
                        WHERE lp.learner_id = $1 AND lp.lesson_id = ANY($2)""")
                .execute(Tuple.of(learnerId, lessons.keySet().toArray(Long[]::new)))
                .map(rows -> {
                    Map<Long, ProgressState> found = new HashMap<>();
                    for (Row r : rows) {
                        found.put(r.getLong("lesson_id"), read(r, lessons.get(r.getLong("lesson_id"))));
                    }
                    return found;
                });
    }

    /** When the learner completed the course, or null. */
    Uni<Instant> courseCompleted(long learnerId, long courseId) {
        return pool.preparedQuery(
                        "SELECT completed_at FROM course_completion_view WHERE learner_id = $1 AND course_id = $2")
                .execute(Tuple.of(learnerId, courseId))
                .map(rows -> rows.size() == 0
                        ? null
                        : rows.iterator().next().getOffsetDateTime(0).toInstant());
    }

    /**
     * Demo history only (the demo's finished learners): records each learner as having studied
     * every lesson of the course's newest version in full while the server watched (observed =
     * credited, which completion requires). No heartbeat can do this at once; nothing else calls it.
     */
    public Uni<Void> recordStudiedInFull(SqlConnection conn, Long[] learnerIds, long courseId) {
        return conn.preparedQuery("""
                        INSERT INTO lesson_progress (learner_id, lesson_id, course_id, credited_sec, covered_sec, completed_at,
                            session_id, last_seq, device_id, last_server_at, last_sent_at, last_position, last_playing,
                            observed_sec)
                        SELECT l.id, le.id, $2, le.duration_sec, le.duration_sec, now(), 'demo', 1, 'demo', now(), now(), 0, false,
                               le.duration_sec
                        FROM unnest($1::bigint[]) AS l(id)
                        CROSS JOIN (SELECT id FROM course_version_view WHERE course_id = $2 ORDER BY version DESC LIMIT 1) v
                        JOIN course_version_lesson_view cvl ON cvl.version_id = v.id JOIN lesson_view le ON le.id = cvl.lesson_id
                        ON CONFLICT DO NOTHING""").execute(Tuple.of(learnerIds, courseId)).replaceWithVoid();
    }
}
