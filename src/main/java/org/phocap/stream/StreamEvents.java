package org.phocap.stream;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.phocap.platform.ClusterJobs;
import org.phocap.platform.InstanceId;
import org.phocap.platform.Json;

/**
 * Publishing and replaying lesson-stream events. An event is stored first (so a reconnect can
 * replay it) and delivered to open streams after it is committed.
 */
@ApplicationScoped
public class StreamEvents {
    /** The most a reconnect replays; a client further behind gets the newest ones (and must stay under the stream buffer). */
    static final int REPLAY_LIMIT = 200;

    private final Pool pool;
    private final StreamHub hub;
    private final Json json;
    /** Ids per bridge notice: 350 ids of up to 19 digits and their commas (7,000 bytes) plus the origin stay below PostgreSQL's 8,000-byte payload limit. */
    static final int IDS_PER_NOTICE = 350;

    private final Duration retention;
    private final Duration trimEvery;
    private final ClusterJobs jobs;
    private final String instance;

    public StreamEvents(
            Pool pool, StreamHub hub, Json json, ClusterJobs jobs, InstanceId instance, StreamConfig streamConfig) {
        Duration retention = streamConfig.retention();
        Duration trimEvery = streamConfig.trimEvery();
        this.trimEvery = trimEvery;
        this.jobs = jobs;
        this.instance = instance.value();
        this.pool = pool;
        this.hub = hub;
        this.json = json;
        this.retention = retention;
    }

    /** Stores and delivers an event; learnerId null sends it to every stream of the course. */
    public Uni<StreamEvent> publish(long courseId, Long learnerId, String kind, Object payload) {
        String data = json.write(payload);
        return pool.preparedQuery(bridged(
                        "INSERT INTO stream_event (course_id, learner_id, kind, data) VALUES ($1, $2, $3, $4) "
                                + "RETURNING id",
                        5))
                .execute(Tuple.of(courseId, learnerId, kind, data, instance))
                .map(rows -> new StreamEvent(rows.iterator().next().getLong(0), courseId, learnerId, kind, data))
                .invoke(hub::deliver);
    }

    /** An event to publish to one learner's stream of a course. */
    public record Outgoing(long courseId, long learnerId, String kind, Object payload) {}

    /** Stores several events with one statement and delivers each once it is committed. */
    public Uni<Void> publishAll(List<Outgoing> outgoing) {
        if (outgoing.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery(bridged("""
                        INSERT INTO stream_event (course_id, learner_id, kind, data)
                        SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[])
                        RETURNING id, course_id, learner_id, kind, data""", 5))
                .execute(Tuple.of(
                        outgoing.stream().map(Outgoing::courseId).toArray(Long[]::new),
                        outgoing.stream().map(Outgoing::learnerId).toArray(Long[]::new),
                        outgoing.stream().map(Outgoing::kind).toArray(String[]::new),
                        outgoing.stream().map(o -> json.write(o.payload())).toArray(String[]::new),
                        instance))
                .invoke(rows -> {
                    List<StreamEvent> stored = new ArrayList<>(rows.size());
                    rows.forEach(row -> stored.add(event(row)));
                    hub.deliverAll(stored);
                })
                .replaceWithVoid();
    }

    /**
     * Stores one event for each {@code (course_id, learner_id)} row that the caller's query selects,
     * inside the caller's transaction (the notices to other instances go out at its commit). The
     * query uses parameters {@code $1…$n} of {@code args}; {@code data} is the events' JSON; the caller delivers the returned events to
     * this instance's streams once the transaction has committed.
     */
    public Uni<List<StreamEvent>> storeForEach(
            SqlConnection conn, String recipients, Tuple args, String kind, String data) {
        int n = args.size();
        String insert =
                "INSERT INTO stream_event (course_id, learner_id, kind, data) SELECT r.course_id, r.learner_id, $"
                        + (n + 1) + "::varchar, $" + (n + 2) + "::text FROM (" + recipients + ") AS r"
                        + " RETURNING id, course_id, learner_id, kind, data";
        Tuple all = Tuple.tuple();
        for (int i = 0; i < n; i++) {
            all.addValue(args.getValue(i));
        }
        all.addValue(kind).addValue(data).addValue(instance);
        return conn.preparedQuery(bridged(insert, n + 3)).execute(all).map(rows -> {
            List<StreamEvent> stored = new ArrayList<>(rows.size());
            rows.forEach(row -> stored.add(event(row)));
            return stored;
        });
    }

    /** Delivers events stored by {@link #storeForEach} to this instance's streams, after their commit. */
    public void deliver(List<StreamEvent> committed) {
        hub.deliverAll(committed);
    }

    /**
     * The same insert, also telling the other instances (see {@link StreamBridge}): the notices go
     * out when the transaction commits, never for a rollback. {@code insert} must return the
     * event's {@code id}; parameter {@code $originParam} is left for this instance's id.
     */
    public static String bridged(String insert, int originParam) {
        return "WITH e AS (" + insert + "), n AS (SELECT pg_notify('" + StreamBridge.CHANNEL + "', $" + originParam
                + " || ':' || string_agg(id::text, ',' ORDER BY id)) FROM (SELECT id, (row_number() OVER (ORDER BY id) - 1) / "
                + IDS_PER_NOTICE
                + " AS chunk FROM e) c GROUP BY chunk) SELECT e.*, (SELECT count(*) FROM n) AS notices FROM e";
    }

    /** This instance's id, the origin of the notices its statements send. */
    public String origin() {
        return instance;
    }

    /** Stored events by id (what another instance announced), oldest first. */
    Uni<List<StreamEvent>> byIds(Long[] ids) {
        return pool.preparedQuery(
                        "SELECT id, course_id, learner_id, kind, data FROM stream_event WHERE id = ANY($1) ORDER BY id")
                .execute(Tuple.of(ids))
                .map(rows -> {
                    List<StreamEvent> found = new ArrayList<>();
                    for (Row row : rows) {
                        found.add(event(row));
                    }
                    return found;
                });
    }

    public static StreamEvent event(Row row) {
        return new StreamEvent(
                row.getLong("id"),
                row.getLong("course_id"),
                row.getLong("learner_id"),
                row.getString("kind"),
                row.getString("data"));
    }

    /** Events of the course for this learner after the given id, oldest first. */
    public Uni<List<StreamEvent>> after(long courseId, long learnerId, long afterId) {
        return pool.preparedQuery("""
                        SELECT * FROM (SELECT id, course_id, learner_id, kind, data FROM stream_event
                                       WHERE course_id = $1 AND id > $3 AND (learner_id IS NULL OR learner_id = $2)
                                       ORDER BY id DESC LIMIT $4) newest ORDER BY id""")
                .execute(Tuple.of(courseId, learnerId, afterId, REPLAY_LIMIT))
                .map(rows -> {
                    List<StreamEvent> events = new ArrayList<>();
                    for (Row row : rows) {
                        events.add(event(row));
                    }
                    return events;
                });
    }

    /** The newest event id of the course (0 when none): where a fresh stream's snapshot stands. */
    public Uni<Long> head(long courseId) {
        return pool.preparedQuery("SELECT coalesce(max(id), 0) FROM stream_event WHERE course_id = $1")
                .execute(Tuple.of(courseId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    @Scheduled(every = "${phocap.stream.trim-every}", identity = "stream-event-trim")
    Uni<Void> trim() {
        return jobs.once(
                "stream-event-trim",
                trimEvery,
                () -> pool.preparedQuery(
                                "DELETE FROM stream_event WHERE created_at < now() - make_interval(secs => $1)")
                        .execute(Tuple.of((double) retention.toSeconds())));
    }
}
