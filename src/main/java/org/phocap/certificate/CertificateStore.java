package org.phocap.certificate;

import static org.phocap.platform.Times.utc;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.phocap.campaign.CampaignStore;
import org.phocap.locality.Scope;
import org.phocap.platform.Page;

/** Certificate rows: issuing inside the completion's transaction, reading, revoking, and the stored PDFs. */
@ApplicationScoped
public class CertificateStore {
    /** Staff filters; null means any. */
    public record Filter(Long campaignId, String localityCode, Instant issuedFrom, Instant issuedTo) {}

    private final Pool pool;
    private final CampaignStore campaigns;

    public CertificateStore(Pool pool, CampaignStore campaigns) {
        this.pool = pool;
        this.campaigns = campaigns;
    }

    /**
     * Issues the certificate of a completion just recorded on {@code conn}: takes the campaign's next
     * number (the row lock holds other issuers of the campaign until this transaction ends, so
     * numbers neither repeat nor skip) and copies what the certificate says.
     */
    public Uni<Certificate> issue(SqlConnection conn, long campaignId, long learnerId, long courseId, Instant at) {
        return campaigns.nextCertificateNumber(conn, campaignId).flatMap(campaign -> {
            int number = campaign.number();
            String serial = Serials.of(campaign.prefix(), campaign.year(), number);
            return conn.preparedQuery("""
                                    INSERT INTO certificate (serial, campaign_id, learner_id, course_id, number, holder_name,
                                        birth_year, locality_code, locality_name, course_title, campaign_name, issuing_body, issued_at)
                                    SELECT $1, $2, le.id, $4, $5, le.full_name, le.birth_year, le.locality_code,
                                           (SELECT string_agg(a.name, ', ' ORDER BY a.level DESC) FROM locality_view a
                                            WHERE a.code = ANY (string_to_array(trim(BOTH '/' FROM lo.path), '/'))),
                                           (SELECT v.title FROM course_version_view v WHERE v.course_id = $4 ORDER BY v.version DESC LIMIT 1),
                                           $6, $7, $8
                                    FROM learner_view le JOIN locality_view lo ON lo.code = le.locality_code WHERE le.id = $3
                                    RETURNING serial""")
                    .execute(Tuple.from(new Object[] {
                        serial,
                        campaignId,
                        learnerId,
                        courseId,
                        number,
                        campaign.campaignName(),
                        campaign.issuingBody(),
                        at.atOffset(ZoneOffset.UTC)
                    }))
                    .flatMap(inserted -> conn.preparedQuery(
                                    "SELECT " + Certificate.COLUMNS + " FROM certificate c WHERE c.serial = $1")
                            .execute(Tuple.of(serial)))
                    .map(found -> Certificate.from(found.iterator().next()));
        });
    }

    public Uni<Optional<Certificate>> bySerial(String serial) {
        return pool.preparedQuery("SELECT " + Certificate.COLUMNS + " FROM certificate c WHERE c.serial = $1")
                .execute(Tuple.of(serial))
                .map(rows -> rows.size() == 0
                        ? Optional.empty()
                        : Optional.of(Certificate.from(rows.iterator().next())));
    }

    /** The certificate when the staff scope covers its holder's locality. */
    public Uni<Optional<Certificate>> bySerial(String serial, Scope scope) {
        return pool.preparedQuery(
                        "SELECT " + Certificate.COLUMNS
                                + " FROM certificate c JOIN locality_view l ON l.code = c.locality_code WHERE c.serial = $1 AND l.path LIKE ANY($2)")
                .execute(Tuple.of(serial, scope.patterns()))
                .map(rows -> rows.size() == 0
                        ? Optional.empty()
                        : Optional.of(Certificate.from(rows.iterator().next())));
    }

    public Uni<List<Certificate>> ofLearner(long learnerId) {
        return pool.preparedQuery("SELECT " + Certificate.COLUMNS
                        + " FROM certificate c WHERE c.learner_id = $1 ORDER BY c.issued_at DESC, c.serial")
                .execute(Tuple.of(learnerId))
                .map(CertificateStore::all);
    }

    public Uni<Page<Certificate>> page(Filter filter, Scope scope, int page, int size) {
        return pool.preparedQuery("SELECT " + Certificate.COLUMNS + ", count(*) OVER () AS total" + FILTERED
                        + " ORDER BY c.issued_at, c.serial LIMIT $6 OFFSET $7")
                .execute(filterTuple(filter, scope).addInteger(size).addLong((long) page * size))
                .map(rows -> Page.of(rows, Certificate::from, page, size));
    }

    /** The rows after {@code (afterIssued, afterSerial)} in listing order: keyset pages for exports of any length. */
    public Uni<List<Certificate>> after(Filter filter, Scope scope, Instant afterIssued, String afterSerial, int size) {
        return pool.preparedQuery("SELECT " + Certificate.COLUMNS + FILTERED
                        + " AND (c.issued_at, c.serial) > ($6, $7) ORDER BY c.issued_at, c.serial LIMIT $8")
                .execute(filterTuple(filter, scope)
                        .addValue(utc(afterIssued == null ? Instant.EPOCH : afterIssued))
                        .addString(afterSerial == null ? "" : afterSerial)
                        .addInteger(size))
                .map(CertificateStore::all);
    }

    private static final String FILTERED = """
             FROM certificate c JOIN locality_view l ON l.code = c.locality_code
            WHERE l.path LIKE ANY($1)
              AND ($2::bigint IS NULL OR c.campaign_id = $2)
              AND ($3::text IS NULL OR starts_with(l.path, (SELECT f.path FROM locality_view f WHERE f.code = $3)))
              AND ($4::timestamptz IS NULL OR c.issued_at >= $4)
              AND ($5::timestamptz IS NULL OR c.issued_at < $5)""";

    private static Tuple filterTuple(Filter filter, Scope scope) {
        return Tuple.of(scope.patterns(), filter.campaignId(), filter.localityCode(), utc(filter.issuedFrom()))
                .addValue(utc(filter.issuedTo()));
    }

    /** Marks the certificate revoked; empty when it was revoked already. */
    public Uni<Optional<Certificate>> revoke(String serial, String reason, long staffId, Instant at) {
        return pool.preparedQuery("""
                        UPDATE certificate SET revoked_at = $2, revoke_reason = $3, revoked_by = $4
                        WHERE serial = $1 AND revoked_at IS NULL RETURNING serial""")
                .execute(Tuple.of(serial, utc(at), reason, staffId))
                .flatMap(rows ->
                        rows.size() == 0 ? Uni.createFrom().item(Optional.<Certificate>empty()) : bySerial(serial));
    }

    /** The stored PDF, or null before its first render. */
    public Uni<byte[]> pdf(String serial) {
        return pool.preparedQuery("SELECT pdf FROM certificate_pdf WHERE serial = $1")
                .execute(Tuple.of(serial))
                .map(rows -> rows.size() == 0
                        ? null
                        : rows.iterator().next().getBuffer(0).getBytes());
    }

    /** Keeps the first stored render: answers the bytes now stored, which another instance may have written first. */
    public Uni<byte[]> storePdf(String serial, byte[] pdf) {
        return pool.preparedQuery(
                        "INSERT INTO certificate_pdf (serial, pdf) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING serial")
                .execute(Tuple.of(serial, io.vertx.core.buffer.Buffer.buffer(pdf)))
                .flatMap(rows -> rows.size() == 1 ? Uni.createFrom().item(pdf) : pdf(serial));
    }

    private static List<Certificate> all(RowSet<Row> rows) {
        List<Certificate> list = new ArrayList<>(rows.size());
        for (Row row : rows) {
            list.add(Certificate.from(row));
        }
        return list;
    }
}
