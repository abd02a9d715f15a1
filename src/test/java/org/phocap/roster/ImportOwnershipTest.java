package org.phocap.roster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.phocap.platform.Api;
import org.phocap.platform.PostgresResource;
import org.phocap.platform.TestDatabase;

/**
 * Several instances share one database; an instance that starts marks the imports a stopped
 * instance left RUNNING as failed. It must not touch the imports another instance is running, and
 * an import it marked must not run afterwards on the instance that queued it.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ImportOwnershipTest {
    static final String P = "IO";

    @Inject
    ImportStore store;

    @Inject
    Pool pool;

    long running() {
        Api.treeOnce(P);
        long campaign = Api.campaign(P);
        long staff = TestDatabase.first(pool, "SELECT id FROM staff_account WHERE username = 'admin'")
                .getLong(0);
        return store.create(campaign, staff, "roster.csv", "csv").await().indefinitely();
    }

    String status(long id) {
        return TestDatabase.first(pool, "SELECT status FROM roster_import WHERE id = $1", id)
                .getString(0);
    }

    @Test
    void aStartMarksOnlyTheImportsNoInstanceIsRunningAndAMarkedImportIsNotRunLater() {
        long elsewhere = running(); // being run by "another instance": a transaction holds its claim
        long orphaned = running(); // its instance stopped: nobody holds it
        SqlConnection other = pool.getConnection().await().indefinitely();
        try {
            Transaction tx = other.begin().await().indefinitely();
            assertTrue(ImportStore.claim(other, elsewhere).await().indefinitely());

            int marked = store.failInterrupted().await().indefinitely();

            assertTrue(marked >= 1, "marked " + marked);
            assertEquals("RUNNING", status(elsewhere));
            assertEquals("FAILED", status(orphaned));
            // The instance that queued the orphaned import gets to it later: it must not run it.
            SqlConnection late = pool.getConnection().await().indefinitely();
            try {
                Transaction lateTx = late.begin().await().indefinitely();
                assertFalse(ImportStore.claim(late, orphaned).await().indefinitely());
                lateTx.rollback().await().indefinitely();
            } finally {
                late.close().await().indefinitely();
            }
            tx.rollback().await().indefinitely();
        } finally {
            other.close().await().indefinitely();
        }
        // Its holder gone (a crash ends the transaction just the same), the next start marks it.
        store.failInterrupted().await().indefinitely();
        assertEquals("FAILED", status(elsewhere));
    }

    @Test
    void aClaimedImportsTransactionIsEndedByPostgresqlIfItsClientFallsSilent() {
        long id = running();
        SqlConnection conn = pool.getConnection().await().indefinitely();
        try {
            Transaction tx = conn.begin().await().indefinitely();
            assertTrue(ImportStore.claim(conn, id).await().indefinitely());
            assertEquals(
                    ImportStore.IDLE_LIMIT,
                    conn.query("SHOW idle_in_transaction_session_timeout")
                            .execute()
                            .await()
                            .indefinitely()
                            .iterator()
                            .next()
                            .getString(0));
            tx.rollback().await().indefinitely();
        } finally {
            conn.close().await().indefinitely();
        }
    }
}
