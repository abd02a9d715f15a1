package org.phocap.roster;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.phocap.auth.LearnerCredentials;

/** Signing in reads and changes learners' PINs through this: the roster owns the learner table. */
@ApplicationScoped
public class LearnerCredentialStore implements LearnerCredentials {
    private static final String COLUMNS = "id, phone, pin_hash, activation_code, activation_code_expires_at";

    private final Pool pool;

    public LearnerCredentialStore(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<Optional<Credential>> byPhone(String phone) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM learner WHERE phone = $1")
                .execute(Tuple.of(phone))
                .map(LearnerCredentialStore::first);
    }

    @Override
    public Uni<Optional<Credential>> byId(long id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM learner WHERE id = $1")
                .execute(Tuple.of(id))
                .map(LearnerCredentialStore::first);
    }

    @Override
    public Uni<Boolean> activate(long id, String code, String pinHash) {
        return pool.preparedQuery("""
                        UPDATE learner SET pin_hash = $1, activated_at = coalesce(activated_at, now()), activation_code = NULL,
                            activation_code_expires_at = NULL, updated_at = now()
                        WHERE id = $2 AND activation_code = $3""").execute(Tuple.of(pinHash, id, code)).map(result -> result.rowCount() > 0);
    }

    @Override
    public Uni<Boolean> changePin(long id, String currentHash, String newHash) {
        return pool.preparedQuery(
                        "UPDATE learner SET pin_hash = $1, updated_at = now() WHERE id = $2 AND pin_hash = $3")
                .execute(Tuple.of(newHash, id, currentHash))
                .map(result -> result.rowCount() > 0);
    }

    private static Optional<Credential> first(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row r = rows.iterator().next();
        OffsetDateTime expires = r.getOffsetDateTime("activation_code_expires_at");
        return Optional.of(new Credential(
                r.getLong("id"),
                r.getString("phone"),
                r.getString("pin_hash"),
                r.getString("activation_code"),
                expires == null ? null : expires.toInstant()));
    }
}
