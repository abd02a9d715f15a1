package org.phocap.course.stream;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
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
    private final Duration retention;

    public StreamEvents(Pool pool, StreamHub hub, Json json,
                        @ConfigProperty(name = "phocap.stream.retention") Duration retention) {
        this.pool = pool;
        this.hub = hub;
        this.json = json;
        this.retention = retention;
    }

    /** Stores and delivers an event; learnerId null sends it to every stream of the course. */
    public Uni<StreamEvent> publish(long courseId, Long learnerId, String kind, Object payload) {
        String data = json.write(payload);
        return pool.preparedQuery("INSERT INTO stream_event (course_id, learner_id, kind, data) VALUES ($1, $2, $3, $4) RETURNING id")
                .execute(Tuple.of(courseId, learnerId, kind, data))
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
        return pool.preparedQuery("""
                        INSERT INTO stream_event (course_id, learner_id, kind, data)
                        SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[])
                        RETURNING id, course_id, learner_id, kind, data""")
                .execute(Tuple.of(outgoing.stream().map(Outgoing::courseId).toArray(Long[]::new),
                        outgoing.stream().map(Outgoing::learnerId).toArray(Long[]::new),
                        outgoing.stream().map(Outgoing::kind).toArray(String[]::new),
                        outgoing.stream().map(o -> json.write(o.payload())).toArray(String[]::new)))
                .invoke(rows -> rows.forEach(row -> hub.deliver(event(row))))
                .replaceWithVoid();
    }

    private static StreamEvent event(Row row) {
        return new StreamEvent(row.getLong("id"), row.getLong("course_id"), row.getLong("learner_id"),
                row.getString("kind"), row.getString("data"));
    }

    /** Events of the course for this learner after the given id, oldest first. */
    Uni<List<StreamEvent>> after(long courseId, long learnerId, long afterId) {
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
    Uni<Long> head(long courseId) {
        return pool.preparedQuery("SELECT coalesce(max(id), 0) FROM stream_event WHERE course_id = $1")
                .execute(Tuple.of(courseId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    @Scheduled(every = "10m", identity = "stream-event-trim")
    Uni<Void> trim() {
        return pool.preparedQuery("DELETE FROM stream_event WHERE created_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) retention.toSeconds()))
                .replaceWithVoid();
    }

}
