package org.phocap.progress;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.phocap.progress.HeartbeatBatch.LearnerLesson;
import org.phocap.progress.HeartbeatBatch.Presence;
import org.phocap.progress.HeartbeatBatch.Submission;

/**
 * The hot-path SQL: one transaction per group of heartbeats. It locks the learners' presence and
 * progress rows (in key order, so concurrent batches cannot deadlock), applies the rules in Java,
 * and writes every changed row back with one multi-row upsert per table.
 */
@ApplicationScoped
public class ProgressStore {
    private final Pool pool;

    public ProgressStore(Pool pool) {
        this.pool = pool;
    }

    /** What a committed batch produced: each submission's outcomes, and the states it changed. */
    record Committed(List<List<HeartbeatBatch.Outcome>> outcomes, List<ProgressState> changed) {}

    Uni<Committed> commit(List<Submission> submissions) {
        Map<Long, LessonMeta> lessons = new HashMap<>();
        TreeSet<Long> learners = new TreeSet<>();
        TreeSet<LearnerLesson> keys = new TreeSet<>(java.util.Comparator.comparingLong(LearnerLesson::learnerId)
                .thenComparingLong(LearnerLesson::lessonId));
        for (Submission s : submissions) {
            learners.add(s.learnerId());
            for (HeartbeatBatch.Item item : s.items()) {
                lessons.put(item.lesson().lessonId(), item.lesson());
                keys.add(new LearnerLesson(s.learnerId(), item.lesson().lessonId()));
            }
        }
        return pool.withTransaction(conn -> Uni.combine().all()
                .unis(loadPresences(conn, learners), loadStates(conn, keys, lessons)).asTuple()
                .flatMap(loaded -> {
                    HeartbeatBatch batch = new HeartbeatBatch(loaded.getItem2(), loaded.getItem1());
                    List<List<HeartbeatBatch.Outcome>> outcomes = batch.apply(submissions);
                    List<ProgressState> changed = new ArrayList<>(batch.changed.values());
                    return Uni.combine().all()
                            .unis(writeStates(conn, changed), writePresences(conn, batch.changedPresences.values()))
                            .discardItems()
                            .replaceWith(new Committed(outcomes, changed));
                }));
    }

    private static Uni<Map<Long, Presence>> loadPresences(SqlConnection conn, TreeSet<Long> learners) {
        return conn.preparedQuery("""
                        SELECT learner_id, device_id, session_id, seen_at FROM learner_presence
                        WHERE learner_id = ANY($1) ORDER BY learner_id FOR UPDATE""")
                .execute(Tuple.of(learners.toArray(Long[]::new)))
                .map(rows -> {
                    Map<Long, Presence> found = new HashMap<>();
                    for (Row r : rows) {
                        found.put(r.getLong(0), new Presence(r.getLong(0), r.getString(1), r.getString(2),
                                r.getOffsetDateTime(3).toInstant()));
                    }
                    return found;
                });
    }

    private static Uni<Map<LearnerLesson, ProgressState>> loadStates(SqlConnection conn, TreeSet<LearnerLesson> keys,
                                                                     Map<Long, LessonMeta> lessons) {
        return conn.preparedQuery("""
                        SELECT lp.*, lp.coverage::text AS bits FROM lesson_progress lp
                        JOIN unnest($1::bigint[], $2::bigint[]) AS k(learner_id, lesson_id) USING (learner_id, lesson_id)
                        ORDER BY learner_id, lesson_id FOR UPDATE OF lp""")
                .execute(Tuple.of(keys.stream().map(LearnerLesson::learnerId).toArray(Long[]::new),
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
        ProgressState s = new ProgressState(r.getLong("learner_id"), lesson, true);
        s.creditedSec = r.getDouble("credited_sec");
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
        return s;
    }

    private static Uni<RowSet<Row>> writeStates(SqlConnection conn, List<ProgressState> changed) {
        if (changed.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        int n = changed.size();
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
        for (int i = 0; i < n; i++) {
            ProgressState s = changed.get(i);
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
        }
        return conn.preparedQuery("""
                        INSERT INTO lesson_progress (learner_id, lesson_id, course_id, credited_sec, coverage, covered_sec,
                               completed_at, session_id, last_seq, device_id, last_server_at, last_sent_at, last_position,
                               last_playing, heartbeats)
                        SELECT l, le, c, cr, b::varbit, cs, ca, si, sq, d, sa, se, p, pl, h
                        FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::float8[], $5::text[], $6::int[],
                                    $7::timestamptz[], $8::text[], $9::bigint[], $10::text[], $11::timestamptz[],
                                    $12::timestamptz[], $13::float8[], $14::bool[], $15::int[])
                             AS t(l, le, c, cr, b, cs, ca, si, sq, d, sa, se, p, pl, h)
                        ON CONFLICT (learner_id, lesson_id) DO UPDATE SET
                            credited_sec = EXCLUDED.credited_sec,
                            coverage = CASE WHEN length(lesson_progress.coverage) = length(EXCLUDED.coverage)
                                            THEN lesson_progress.coverage | EXCLUDED.coverage ELSE EXCLUDED.coverage END,
                            covered_sec = EXCLUDED.covered_sec,
                            completed_at = coalesce(lesson_progress.completed_at, EXCLUDED.completed_at),
                            session_id = EXCLUDED.session_id, last_seq = EXCLUDED.last_seq, device_id = EXCLUDED.device_id,
                            last_server_at = EXCLUDED.last_server_at, last_sent_at = EXCLUDED.last_sent_at,
                            last_position = EXCLUDED.last_position, last_playing = EXCLUDED.last_playing,
                            heartbeats = EXCLUDED.heartbeats""")
                .execute(Tuple.from(new Object[] {learner, lesson, course, credited, bits, covered, completed, session, seq,
                        device, serverAt, sentAt, position, playing, heartbeats}));
    }

    private static Uni<RowSet<Row>> writePresences(SqlConnection conn, java.util.Collection<Presence> changed) {
        if (changed.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        List<Presence> list = new ArrayList<>(changed);
        return conn.preparedQuery("""
                        INSERT INTO learner_presence (learner_id, device_id, session_id, seen_at)
                        SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[])
                        ON CONFLICT (learner_id) DO UPDATE SET device_id = EXCLUDED.device_id,
                            session_id = EXCLUDED.session_id, seen_at = EXCLUDED.seen_at""")
                .execute(Tuple.of(list.stream().map(Presence::learnerId).toArray(Long[]::new),
                        list.stream().map(Presence::deviceId).toArray(String[]::new),
                        list.stream().map(Presence::sessionId).toArray(String[]::new),
                        list.stream().map(p -> utc(p.seenAt())).toArray(OffsetDateTime[]::new)));
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
        return pool.preparedQuery("SELECT completed_at FROM course_completion WHERE learner_id = $1 AND course_id = $2")
                .execute(Tuple.of(learnerId, courseId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getOffsetDateTime(0).toInstant());
    }

    private static OffsetDateTime utc(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }
}
