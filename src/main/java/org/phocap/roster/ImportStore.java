package org.phocap.roster;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.phocap.campaign.CampaignAccess;
import org.phocap.locality.Scope;
import org.phocap.platform.ProblemException;

/** The roster_import and roster_reject tables. */
@ApplicationScoped
public class ImportStore {
    private final Pool pool;
    private final CampaignAccess access;

    public ImportStore(Pool pool, CampaignAccess access) {
        this.pool = pool;
        this.access = access;
    }

    Uni<Long> create(long campaignId, long staffId, String fileName, String format) {
        return pool.preparedQuery("""
                        INSERT INTO roster_import (campaign_id, created_by, file_name, format, status)
                        VALUES ($1, $2, $3, $4, 'RUNNING') RETURNING id""")
                .execute(Tuple.of(campaignId, staffId, fileName, format))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    static Uni<Void> finish(SqlClient client, long id, int total, int created, int updated, int rejected) {
        return client.preparedQuery("""
                        UPDATE roster_import SET status = 'DONE', total = $2, created = $3, updated = $4, rejected = $5,
                               finished_at = clock_timestamp() WHERE id = $1""")
                .execute(Tuple.of(id, total, created, updated, rejected))
                .replaceWithVoid();
    }

    Uni<Void> fail(long id, String message) {
        return pool.preparedQuery(
                        "UPDATE roster_import SET status = 'FAILED', message = $2, finished_at = clock_timestamp() WHERE id = $1")
                .execute(Tuple.of(id, message))
                .replaceWithVoid();
    }

    /**
     * The advisory-lock class of running imports: the transaction that runs import {@code id} holds
     * ({@value}, id). PostgreSQL frees it when that transaction ends, crash included, so the lock
     * says exactly which RUNNING imports some instance is still running.
     */
    static final int RUNNING_LOCK = 0x52494d50;

    /** How long a running import's transaction may sit idle before PostgreSQL ends it (see {@link #claim}). */
    static final String IDLE_LIMIT = "5min";

    /**
     * Claims an import for the transaction on {@code conn}: takes its lock (waiting out another
     * instance's sweep, below, if one holds it for a moment), then answers whether the import is
     * still RUNNING. It may not be: an instance that started while this import waited for a
     * worker marked it failed, and the uploader was told so; it must then not run.
     */
    static Uni<Boolean> claim(SqlClient conn, long id) {
        // A client that vanishes without closing its connection (a node lost, not a process killed)
        // would otherwise keep the transaction, and the claim, until TCP keepalive gives up, hours
        // later. An import never waits that long between statements.
        return conn.query("SET LOCAL idle_in_transaction_session_timeout = '" + IDLE_LIMIT + "'")
                .execute()
                .flatMap(set -> conn.preparedQuery("SELECT pg_advisory_xact_lock($2, ($1::bigint % 2147483647)::int)")
                        .execute(Tuple.of(id, RUNNING_LOCK)))
                .flatMap(locked -> conn.preparedQuery("SELECT status FROM roster_import WHERE id = $1")
                        .execute(Tuple.of(id)))
                .map(rows -> rows.size() == 1
                        && ImportStatus.RUNNING.equals(rows.iterator().next().getString(0)));
    }

    /**
     * Imports left RUNNING by a stopped instance will never finish: say so. Only those no
     * transaction holds (see {@link #claim}): another instance's running imports are left alone.
     * The RUNNING rows are picked first (OFFSET 0 keeps the planner from trying the lock on others).
     */
    Uni<Integer> failInterrupted() {
        return pool.preparedQuery("""
                        UPDATE roster_import SET status = 'FAILED', finished_at = now(),
                               message = 'Interrupted by a restart; nothing from this import was kept. Upload the file again.'
                        WHERE status = 'RUNNING' AND id IN (
                            SELECT id FROM (SELECT id FROM roster_import WHERE status = 'RUNNING' OFFSET 0) running
                            WHERE pg_try_advisory_xact_lock($1, (id % 2147483647)::int))""").execute(Tuple.of(RUNNING_LOCK)).map(result -> result.rowCount());
    }

    static Uni<Void> saveRejects(SqlClient client, long importId, List<Rejection> rejects) {
        if (rejects.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery("""
                        INSERT INTO roster_reject (import_id, line, field, message, raw)
                        SELECT $1, * FROM unnest($2::int[], $3::varchar[], $4::text[], $5::text[])
                        ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(
                        importId,
                        rejects.stream().map(Rejection::line).toArray(Integer[]::new),
                        rejects.stream().map(Rejection::field).toArray(String[]::new),
                        rejects.stream().map(Rejection::message).toArray(String[]::new),
                        rejects.stream().map(Rejection::raw).toArray(String[]::new)))
                .replaceWithVoid();
    }

    /** An import as its readers see it: its campaign and the scope codes of the staff member who ran it. */
    record Visible(long campaignId, List<String> importerScope) {}

    /** The import, after checking the caller may see its campaign (404 otherwise). */
    Uni<Visible> requireVisible(long importId, Scope scope) {
        return pool.preparedQuery("""
                        SELECT i.campaign_id, s.scope FROM roster_import i JOIN staff_account_view s ON s.id = i.created_by
                        WHERE i.id = $1""").execute(Tuple.of(importId)).flatMap(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().failure(ProblemException.notFound("No import " + importId + "."));
            }
            Row row = rows.iterator().next();
            Visible visible = new Visible(row.getLong(0), List.of(row.getArrayOfStrings(1)));
            return access.require(visible.campaignId(), scope)
                    .onFailure()
                    .transform(e -> ProblemException.notFound("No import " + importId + "."))
                    .replaceWith(visible);
        });
    }

    Uni<ImportStatus> load(long importId, boolean withErrors) {
        return pool.preparedQuery("SELECT * FROM roster_import WHERE id = $1")
                .execute(Tuple.of(importId))
                .flatMap(rows -> {
                    Row row = rows.iterator().next();
                    return pool.preparedQuery(
                                    "SELECT line, field, message FROM roster_reject WHERE import_id = $1 AND $2 ORDER BY line LIMIT "
                                            + ImportProgress.ERROR_LIMIT)
                            .execute(Tuple.of(importId, withErrors))
                            .map(rejects -> {
                                List<ImportStatus.ImportError> errors = new ArrayList<>();
                                rejects.forEach(r -> errors.add(
                                        new ImportStatus.ImportError(r.getInteger(0), r.getString(1), r.getString(2))));
                                OffsetDateTime finished = row.getOffsetDateTime("finished_at");
                                return new ImportStatus(
                                        row.getLong("id"),
                                        row.getLong("campaign_id"),
                                        row.getString("status"),
                                        row.getInteger("total"),
                                        row.getInteger("created"),
                                        row.getInteger("updated"),
                                        row.getInteger("rejected"),
                                        errors,
                                        row.getString("message"),
                                        row.getOffsetDateTime("started_at").toInstant(),
                                        finished == null ? null : finished.toInstant());
                            });
                });
    }

    /** Rejected rows in line order, a page at a time after the given line. */
    Uni<List<Rejection>> rejects(long importId, int afterLine, int limit) {
        return pool.preparedQuery("""
                        SELECT line, field, message, raw FROM roster_reject WHERE import_id = $1 AND line > $2
                        ORDER BY line LIMIT $3""")
                .execute(Tuple.of(importId, afterLine, limit))
                .map(rows -> {
                    List<Rejection> page = new ArrayList<>();
                    rows.forEach(r ->
                            page.add(new Rejection(r.getInteger(0), r.getString(1), r.getString(2), r.getString(3))));
                    return page;
                });
    }

    record CodeLine(long learnerId, String name, String phone, String locality, String code) {}

    /** Learners this import enrolled who have not activated yet, inside the scope, by learner id. */
    Uni<List<CodeLine>> activationCodes(long importId, Scope scope, long afterLearner, int limit) {
        return pool.preparedQuery("""
                        SELECT le.id, le.full_name, le.phone, l.name AS locality, le.activation_code
                        FROM enrolment_view e JOIN learner le ON le.id = e.learner_id JOIN locality_view l ON l.code = le.locality_code
                        WHERE e.import_id = $1 AND le.activation_code IS NOT NULL AND l.path LIKE ANY($2) AND le.id > $3
                        ORDER BY le.id LIMIT $4""")
                .execute(Tuple.of(importId, scope.patterns(), afterLearner, limit))
                .map(rows -> {
                    List<CodeLine> page = new ArrayList<>();
                    rows.forEach(r -> page.add(new CodeLine(
                            r.getLong(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4))));
                    return page;
                });
    }
}
