package org.phocap.campaign;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.phocap.locality.Scope;
import org.phocap.platform.Json;
import org.phocap.platform.ProblemException;
import org.phocap.stream.StreamEvent;
import org.phocap.stream.StreamEvents;

/**
 * Announcements to a campaign's learners, narrowed to a wave and/or a locality subtree. Each is
 * stored, written to every targeted learner's stream of each campaign course (so a reconnect
 * replays it) and delivered to the streams open now; a stream opened later shows the ones still
 * current in its snapshot.
 */
@ApplicationScoped
public class AnnouncementService {
    static final Duration DEFAULT_LIFETIME = Duration.ofDays(7);
    static final Duration MAX_LIFETIME = Duration.ofDays(90);

    public record Announce(
            @NotNull Long campaignId,
            Long waveId,
            @Size(max = 32) String localityCode,
            @NotBlank @Size(max = 2000) String text,
            Instant expiresAt) {}

    public record AnnouncementView(
            long id,
            long campaignId,
            Long waveId,
            String localityCode,
            String text,
            Instant createdAt,
            Instant expiresAt,
            long delivered) {}

    private final Pool pool;
    private final CampaignAccess access;
    private final StreamEvents streamEvents;
    private final Json json;
    private final Clock clock;

    public AnnouncementService(Pool pool, CampaignAccess access, StreamEvents streamEvents, Json json, Clock clock) {
        this.streamEvents = streamEvents;
        this.pool = pool;
        this.access = access;
        this.json = json;
        this.clock = clock;
    }

    public Uni<AnnouncementView> announce(Announce request, long staffId, Scope scope) {
        Instant now = clock.instant();
        return access.require(request.campaignId(), scope)
                .flatMap(ok -> pool.preparedQuery("""
                                SELECT c.id, cl.path AS campaign_path, t.path AS target_path, w.closes_at, w.campaign_id AS wave_campaign
                                FROM campaign c JOIN locality_view cl ON cl.code = c.locality_code
                                LEFT JOIN locality_view t ON t.code = $2 LEFT JOIN wave w ON w.id = $3
                                WHERE c.id = $1""")
                        .execute(Tuple.of(request.campaignId(), request.localityCode(), request.waveId())))
                .flatMap(rows -> {
                    Row target = rows.iterator().next();
                    if (request.waveId() != null && !request.campaignId().equals(target.getLong("wave_campaign"))) {
                        throw ProblemException.invalid("waveId", "not a wave of this campaign");
                    }
                    String subtree = request.localityCode() == null
                            ? target.getString("campaign_path")
                            : target.getString("target_path");
                    if (subtree == null) {
                        throw ProblemException.invalid(
                                "localityCode", "unknown locality '" + request.localityCode() + "'");
                    }
                    if (!scope.covers(subtree)) {
                        throw ProblemException.forbidden(
                                request.localityCode() == null
                                        ? "Your scope does not cover the whole campaign: name a locality inside it."
                                        : "Locality '" + request.localityCode() + "' is outside your scope.");
                    }
                    Instant expires = expiry(request, target, now);
                    return store(request, staffId, now, expires, subtree);
                });
    }

    private static Instant expiry(Announce request, Row target, Instant now) {
        Instant expires = request.expiresAt() != null
                ? request.expiresAt()
                : request.waveId() != null
                        ? target.getOffsetDateTime("closes_at").toInstant()
                        : now.plus(DEFAULT_LIFETIME);
        if (!expires.isAfter(now) || expires.isAfter(now.plus(MAX_LIFETIME))) {
            throw ProblemException.invalid(
                    "expiresAt", "in the future, at most " + MAX_LIFETIME.toDays() + " days ahead");
        }
        return expires;
    }

    /** An announcement as stored, and the stream events written for it (delivered once committed). */
    private record Sent(AnnouncementView view, List<StreamEvent> events) {}

    private Uni<AnnouncementView> store(Announce request, long staffId, Instant now, Instant expires, String subtree) {
        String text = request.text().strip();
        return pool.withTransaction(conn -> conn.preparedQuery("""
                                INSERT INTO announcement (campaign_id, wave_id, locality_code, text, created_by, created_at, expires_at)
                                VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id""")
                        .execute(Tuple.from(new Object[] {
                            request.campaignId(),
                            request.waveId(),
                            request.localityCode(),
                            text,
                            staffId,
                            now.atOffset(ZoneOffset.UTC),
                            expires.atOffset(ZoneOffset.UTC)
                        }))
                        .flatMap(rows -> {
                            long id = rows.iterator().next().getLong(0);
                            String data = payload(new AnnouncementView(
                                    id,
                                    request.campaignId(),
                                    request.waveId(),
                                    request.localityCode(),
                                    text,
                                    now,
                                    expires,
                                    0));
                            return streamEvents
                                    .storeForEach(
                                            conn,
                                            """
                                            SELECT k.course_id, e.learner_id
                                            FROM enrolment e JOIN campaign c ON c.id = e.campaign_id
                                            JOIN learner_view le ON le.id = e.learner_id JOIN locality_view l ON l.code = le.locality_code
                                            CROSS JOIN LATERAL unnest(c.course_ids) AS k(course_id)
                                            WHERE e.campaign_id = $1 AND ($2::bigint IS NULL OR e.wave_id = $2) AND starts_with(l.path, $3)""",
                                            Tuple.of(request.campaignId(), request.waveId(), subtree),
                                            "announcement",
                                            data)
                                    .map(out -> {
                                        long learners = out.stream()
                                                .map(StreamEvent::learnerId)
                                                .distinct()
                                                .count();
                                        return new Sent(
                                                new AnnouncementView(
                                                        id,
                                                        request.campaignId(),
                                                        request.waveId(),
                                                        request.localityCode(),
                                                        text,
                                                        now,
                                                        expires,
                                                        learners),
                                                out);
                                    });
                        }))
                // Delivered once committed, so a stream never shows what a rollback took back.
                .invoke(sent -> streamEvents.deliver(sent.events()))
                .map(Sent::view);
    }

    /** The announcements still current for this learner in the campaigns that teach the course, as stream payloads. */
    public Uni<List<String>> currentFor(long learnerId, long courseId) {
        return pool.preparedQuery("""
                        SELECT a.id, a.campaign_id, a.wave_id, a.locality_code, a.text, a.created_at, a.expires_at
                        FROM enrolment e JOIN campaign c ON c.id = e.campaign_id AND $2 = ANY (c.course_ids)
                        JOIN learner_view le ON le.id = e.learner_id JOIN locality_view home ON home.code = le.locality_code
                        JOIN announcement a ON a.campaign_id = e.campaign_id AND a.expires_at > $3
                             AND (a.wave_id IS NULL OR a.wave_id = e.wave_id)
                        LEFT JOIN locality_view t ON t.code = a.locality_code
                        WHERE e.learner_id = $1 AND (t.path IS NULL OR starts_with(home.path, t.path))
                        ORDER BY a.created_at, a.id""")
                .execute(Tuple.of(learnerId, courseId, clock.instant().atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    List<String> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(payload(new AnnouncementView(
                                r.getLong("id"),
                                r.getLong("campaign_id"),
                                r.getLong("wave_id"),
                                r.getString("locality_code"),
                                r.getString("text"),
                                r.getOffsetDateTime("created_at").toInstant(),
                                r.getOffsetDateTime("expires_at").toInstant(),
                                0)));
                    }
                    return out;
                });
    }

    private String payload(AnnouncementView a) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("announcementId", a.id());
        data.put("campaignId", a.campaignId());
        data.put("waveId", a.waveId());
        data.put("localityCode", a.localityCode());
        data.put("text", a.text());
        data.put("createdAt", a.createdAt().toString());
        data.put("expiresAt", a.expiresAt().toString());
        return json.write(data);
    }
}
