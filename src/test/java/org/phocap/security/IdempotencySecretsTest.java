package org.phocap.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.phocap.platform.Api;
import org.phocap.platform.Hashing;
import org.phocap.platform.PostgresResource;
import org.phocap.platform.TestDatabase;

/** Finding 12: an idempotency record holds no secret and nothing a guessed password can be checked against. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class IdempotencySecretsTest {
    @Inject
    Pool pool;

    private static Map<String, Object> staff(String username, String password) {
        return Map.of(
                "username",
                username,
                "password",
                password,
                "role",
                "SUPPORTER",
                "scope",
                List.of("IS"),
                "fullName",
                "Người Hỗ Trợ");
    }

    private String fingerprint(String key) {
        return TestDatabase.first(
                        pool, "SELECT fingerprint, coalesce(response, '') FROM idempotent_request WHERE key = $1", key)
                .getString(0);
    }

    @Test
    void theFingerprintIsSaltedAndTakenWithoutThePassword() {
        Api.treeOnce("IS");
        String password = "correct-horse-battery";
        as(admin())
                .header("Idempotency-Key", "is-key-1")
                .contentType(ContentType.JSON)
                .body(staff("is.one", password))
                .post("/api/v1/staff")
                .then()
                .statusCode(201);
        String stored = fingerprint("is-key-1");
        assertTrue(stored.matches("[0-9a-f]{32}:[0-9a-f]{64}"), stored);

        // The offline guess that matched before: SHA-256 over the request as sent, with or without the salt.
        String sent = "POST /staff\n{\"username\":\"is.one\",\"password\":\"" + password
                + "\",\"role\":\"SUPPORTER\",\"scope\":[\"IS\"],\"fullName\":\"Người Hỗ Trợ\",\"phone\":null}";
        String salt = stored.substring(0, 32);
        assertNotEquals(Hashing.sha256(sent), stored.substring(33));
        assertNotEquals(Hashing.sha256(salt + "\n" + sent), stored.substring(33));

        // Without the password in the fingerprint, a retry differing only in it replays the first answer.
        as(admin())
                .header("Idempotency-Key", "is-key-1")
                .contentType(ContentType.JSON)
                .body(staff("is.one", "another-password"))
                .post("/api/v1/staff")
                .then()
                .statusCode(201);
        // Any other field still makes it a different request.
        as(admin())
                .header("Idempotency-Key", "is-key-1")
                .contentType(ContentType.JSON)
                .body(staff("is.two", password))
                .post("/api/v1/staff")
                .then()
                .statusCode(409);

        // The same request under another key gets another salt: equal requests do not show as equal.
        as(admin())
                .header("Idempotency-Key", "is-key-2")
                .contentType(ContentType.JSON)
                .body(staff("is.three", password))
                .post("/api/v1/staff")
                .then()
                .statusCode(201);
        assertNotEquals(stored.substring(0, 32), fingerprint("is-key-2").substring(0, 32));

        String rows = pool.query(
                        "SELECT string_agg(fingerprint || coalesce(response, ''), '|') FROM idempotent_request")
                .execute()
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getString(0);
        assertFalse(rows.contains(password), "no password in any record");
        assertEquals(64 + 33, stored.length());
    }
}
