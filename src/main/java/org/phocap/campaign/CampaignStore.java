package org.phocap.campaign;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The campaign feature's writes that other features ask for: the campaign owns its campaigns,
 * waves and enrolments, so the roster, progress, certificates and integrity change them only
 * through here (they read them through the views of {@code V21__published_views.sql}). Methods
 * taking a connection run inside the caller's transaction.
 */
@ApplicationScoped
public class CampaignStore {
    private final Pool pool;

    public CampaignStore(Pool pool) {
        this.pool = pool;
    }

    /** What a certificate copies from its campaign, with the number it was just given. */
    public record CertificateNumber(int number, String prefix, int year, String campaignName, String issuingBody) {}

    /**
     * Takes the campaign's next certificate number. The row lock holds the campaign's other issuers
     * until the caller's transaction ends, so numbers neither repeat nor skip.
     */
    public Uni<CertificateNumber> nextCertificateNumber(SqlConnection conn, long campaignId) {
        return conn.preparedQuery("""
                        UPDATE campaign SET certificates_issued = certificates_issued + 1 WHERE id = $1
                        RETURNING certificates_issued, certificate_prefix, year, name, issuing_body""").execute(Tuple.of(campaignId)).map(rows -> {
            Row c = rows.iterator().next();
            return new CertificateNumber(
                    c.getInteger("certificates_issued"),
                    c.getString("certificate_prefix"),
                    c.getInteger("year"),
                    c.getString("name"),
                    c.getString("issuing_body"));
        });
    }

    /** Merges rules into the campaign's certificate policy; answers the campaign's locality code. */
    public Uni<String> mergeCertificatePolicy(SqlConnection conn, long campaignId, Map<String, String> rules) {
        return conn.preparedQuery(
                        "UPDATE campaign SET certificate_policy = certificate_policy || $2 WHERE id = $1 RETURNING locality_code")
                .execute(Tuple.of(campaignId, new JsonObject(Map.copyOf(rules))))
                .map(rows -> rows.iterator().next().getString(0));
    }

    /** The campaign's certificate policy as stored: only the flag kinds someone set. */
    public Uni<Map<String, Object>> certificatePolicy(long campaignId) {
        return pool.preparedQuery("SELECT certificate_policy FROM campaign WHERE id = $1")
                .execute(Tuple.of(campaignId))
                .map(rows -> rows.iterator().next().getJsonObject(0).getMap());
    }

    /**
     * Enrols a batch of imported learners in the campaign (or updates who nominated them and their
     * group); answers the ids of those enrolled for the first time.
     */
    public Uni<List<Long>> enrolImported(
            SqlConnection conn,
            long campaignId,
            long importId,
            Long[] learnerIds,
            String[] nominatedBy,
            String[] targetGroups) {
        return conn.preparedQuery("""
                        INSERT INTO enrolment (campaign_id, learner_id, nominated_by, target_group, import_id)
                        SELECT $1, l, n, t, $2 FROM unnest($3::bigint[], $4::varchar[], $5::varchar[]) AS u(l, n, t)
                        ON CONFLICT (campaign_id, learner_id) DO UPDATE SET
                            nominated_by = excluded.nominated_by,
                            target_group = coalesce(excluded.target_group, enrolment.target_group),
                            import_id = excluded.import_id
                        RETURNING (xmax = 0) AS inserted, learner_id""")
                .execute(Tuple.of(campaignId, importId, learnerIds, nominatedBy, targetGroups))
                .map(rows -> {
                    List<Long> created = new ArrayList<>();
                    for (Row row : rows) {
                        if (row.getBoolean(0)) {
                            created.add(row.getLong(1));
                        }
                    }
                    return created;
                });
    }

    /**
     * Starts the not-yet-started enrolments of these learners in the campaigns that teach these
     * courses (the three arrays are parallel).
     */
    public Uni<Void> markStarted(Long[] learnerIds, Long[] courseIds, OffsetDateTime[] at) {
        return pool.preparedQuery("""
                        UPDATE enrolment e SET started_at = x.at FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[]) AS x(learner_id, course_id, at),
                               campaign c
                        WHERE e.learner_id = x.learner_id AND e.started_at IS NULL AND c.id = e.campaign_id
                          AND x.course_id = ANY (c.course_ids)""")
                .execute(Tuple.of(learnerIds, courseIds, at))
                .replaceWithVoid();
    }

    /**
     * Marks the enrolment completed once every course of the campaign is (the report counters
     * follow by trigger); does nothing while a course is left or when it already is.
     */
    public Uni<Void> completeWhenAllCoursesAre(SqlConnection conn, long campaignId, long learnerId, Instant at) {
        return conn.preparedQuery("""
                        UPDATE enrolment e SET completed_at = $3, started_at = coalesce(e.started_at, $3) FROM campaign c
                        WHERE e.campaign_id = $1 AND e.learner_id = $2 AND c.id = e.campaign_id AND e.completed_at IS NULL
                          AND (SELECT count(*) FROM course_completion_view cc WHERE cc.campaign_id = $1 AND cc.learner_id = $2)
                              >= cardinality(c.course_ids)""")
                .execute(Tuple.of(campaignId, learnerId, at.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }
}
