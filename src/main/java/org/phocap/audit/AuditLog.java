package org.phocap.audit;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.phocap.auth.Subject;

/**
 * The audit log of staff actions that touch learners (a roster import started, an activation code
 * issued, a certificate revoked, learners moved to a wave): who, what, when, kept in PostgreSQL and never
 * written to the service log. Where the action runs in a transaction of its own here (an activation
 * code, a wave assignment) the entry is written in it ({@link #record(SqlClient, Subject, Entry)}):
 * no such action without its entry; elsewhere (a certificate revoked, an import accepted) right
 * after the action succeeded.
 */
@ApplicationScoped
public class AuditLog {
    private final Pool pool;

    public AuditLog(Pool pool) {
        this.pool = pool;
    }

    /**
     * What was done: the action, the learner or campaign it concerns, where (for scope: null means
     * the learner's locality, else the campaign's), and details.
     */
    public record Entry(
            String action, Long learnerId, Long campaignId, String localityCode, Map<String, Object> detail) {}

    public Uni<Void> record(Subject staff, Entry entry) {
        return record(pool, staff, entry);
    }

    public Uni<Void> record(SqlClient client, Subject staff, Entry entry) {
        return client.preparedQuery("""
                        INSERT INTO audit_entry (staff_id, staff_username, action, learner_id, campaign_id, locality_code, detail)
                        VALUES ($1, $2, $3, $4, $5, coalesce($6, (SELECT locality_code FROM learner_view WHERE id = $4),
                                (SELECT locality_code FROM campaign_view WHERE id = $5)), $7)""")
                .execute(Tuple.from(new Object[] {
                    staff.id(),
                    staff.username(),
                    entry.action(),
                    entry.learnerId(),
                    entry.campaignId(),
                    entry.localityCode(),
                    new JsonObject(entry.detail())
                }))
                .replaceWithVoid();
    }
}
