package org.phocap.roster;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.phocap.audit.AuditLog;
import org.phocap.auth.Subject;
import org.phocap.campaign.CampaignAccess;
import org.phocap.locality.Scope;
import org.phocap.platform.Page;
import org.phocap.platform.ProblemException;

/** Staff reads of learners, always cut to the caller's scope (outside it: 404). */
@ApplicationScoped
public class LearnerService {
    private static final String COLUMNS = "le.id, le.full_name, le.phone, le.birth_year, le.gender, le.ethnicity, "
            + "le.locality_code, le.activated_at";

    private final Pool pool;
    private final CampaignAccess access;
    private final AuditLog audit;
    private final Duration recoveryCodeTtl;

    public LearnerService(Pool pool, CampaignAccess access, AuditLog audit, RosterConfig rosterConfig) {
        Duration recoveryCodeTtl = rosterConfig.recoveryCodeTtl();
        this.audit = audit;
        this.recoveryCodeTtl = recoveryCodeTtl;
        this.pool = pool;
        this.access = access;
    }

    public Uni<LearnerView> get(long id, Scope scope) {
        return pool.preparedQuery(
                        "SELECT " + COLUMNS + " FROM learner le JOIN locality_view l ON l.code = le.locality_code "
                                + "WHERE le.id = $1 AND l.path LIKE ANY($2)")
                .execute(Tuple.of(id, scope.patterns()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.notFound("No learner " + id + " in your scope.");
                    }
                    return LearnerView.of(rows.iterator().next());
                });
    }

    /** A fresh one-time activation code, shown once: the learner activates with it and chooses a new PIN. */
    public record RecoveryCode(long learnerId, String code, Instant expiresAt) {}

    /**
     * Account recovery: a new activation code for a learner in the caller's scope (404 outside it),
     * replacing any earlier one, valid for {@code phocap.roster.recovery-code-ttl}; audited in the
     * same transaction. Activating with it sets a new PIN and ends every sign-in of the learner.
     */
    public Uni<RecoveryCode> issueActivationCode(long id, Scope scope, Subject staff) {
        String code = ActivationCodes.next();
        Instant expiresAt = Instant.now().plus(recoveryCodeTtl).truncatedTo(ChronoUnit.SECONDS);
        return pool.withTransaction(conn -> conn.preparedQuery("""
                                UPDATE learner le SET activation_code = $1, activation_code_expires_at = $2, updated_at = now()
                                FROM locality_view l WHERE le.id = $3 AND l.code = le.locality_code AND l.path LIKE ANY($4)
                                RETURNING le.locality_code""")
                .execute(Tuple.of(code, expiresAt.atOffset(ZoneOffset.UTC), id, scope.patterns()))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom()
                                .<RecoveryCode>failure(
                                        ProblemException.notFound("No learner " + id + " in your scope."));
                    }
                    return audit.record(
                                    conn,
                                    staff,
                                    new AuditLog.Entry(
                                            "activation-code-issued",
                                            id,
                                            null,
                                            rows.iterator().next().getString("locality_code"),
                                            Map.of("expiresAt", expiresAt.toString())))
                            .replaceWith(new RecoveryCode(id, code, expiresAt));
                }));
    }

    public Uni<Page<LearnerView>> enrolled(long campaignId, Scope scope, String localityCode, int page, int size) {
        return access.require(campaignId, scope)
                .flatMap(ok -> pool.preparedQuery("SELECT " + COLUMNS
                                + ", count(*) OVER () AS total FROM enrolment_view e JOIN learner le ON le.id = e.learner_id "
                                + "JOIN locality_view l ON l.code = le.locality_code "
                                + "WHERE e.campaign_id = $1 AND l.path LIKE ANY($2) "
                                + "AND ($3::varchar IS NULL OR starts_with(l.path, (SELECT path FROM locality_view WHERE code = $3))) "
                                + "ORDER BY le.id LIMIT $4 OFFSET $5")
                        .execute(Tuple.from(
                                new Object[] {campaignId, scope.patterns(), localityCode, size, (long) page * size}))
                        .map(rows -> Page.of(rows, LearnerView::of, page, size)));
    }

    /**
     * Demo history only (the demo's finished learners): activates them with this PIN hash, as if
     * each had activated and chosen a PIN. Nothing but the demo calls it.
     */
    public Uni<Void> activateForDemo(Long[] learnerIds, String pinHash) {
        return pool.preparedQuery("""
                        UPDATE learner SET activated_at = now(), pin_hash = $2, activation_code = NULL,
                            activation_code_expires_at = NULL, updated_at = now()
                        WHERE id = ANY($1)""").execute(Tuple.of(learnerIds, pinHash)).replaceWithVoid();
    }
}
