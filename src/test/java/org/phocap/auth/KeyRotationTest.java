package org.phocap.auth;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.phocap.platform.Api;
import org.phocap.platform.PostgresResource;
import org.phocap.platform.Secrets;

/**
 * Key rotation without signing anyone out: tokens carry their key's id (kid), and the service accepts
 * every public key in its verification folder, re-read while it runs (Kubernetes updates a mounted
 * Secret's files in place). A second key's tokens are refused until its public key is added, then
 * accepted beside the first key's; the first key's tokens work until its file is removed.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class KeyRotationTest {
    /** The test application's verification folder (PostgresResource): its key pair, as the Secret mounts it. */
    static final Path FOLDER = Path.of("target", "test-keys").toAbsolutePath();

    static final Path NEXT = FOLDER.resolve("jwt-public-next.pem");

    @Test
    void aSecondKeyIsAcceptedOnceAddedAndTheFirstUntilRemoved() throws Exception {
        byte[] firstPublic = Files.readAllBytes(FOLDER.resolve(JwtKeyFiles.PUBLIC_KEY));
        try {
            rotate();
        } finally {
            // Back to the service's own key for the tests that follow.
            Files.write(FOLDER.resolve(JwtKeyFiles.PUBLIC_KEY), firstPublic);
            Files.deleteIfExists(NEXT);
            String token = Api.login("admin", Api.ADMIN_PASSWORD).getString("accessToken");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> as(token).get("/api/v1/campaigns").statusCode() == 200);
        }
    }

    private void rotate() throws Exception {
        String first = Api.login("admin", Api.ADMIN_PASSWORD).getString("accessToken");
        String firstKid = VerificationKeys.kidOf(first);
        assertEquals(
                VerificationKeys.kid(VerificationKeys.parse(Files.readString(FOLDER.resolve(JwtKeyFiles.PUBLIC_KEY)))
                        .values()
                        .iterator()
                        .next()),
                firstKid,
                "tokens name their key by its thumbprint");
        as(first).get("/api/v1/campaigns").then().statusCode(200);

        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair next = generator.generateKeyPair();
        String nextKid = VerificationKeys.kid(next.getPublic());
        String second = adminToken(next.getPrivate(), nextKid);
        // Not in the set yet: refused, and an id nobody knows is refused too.
        as(second).get("/api/v1/campaigns").then().statusCode(401);
        as(adminToken(next.getPrivate(), "no-such-key"))
                .get("/api/v1/campaigns")
                .then()
                .statusCode(401);

        Files.writeString(NEXT, pem(next.getPublic().getEncoded()), StandardCharsets.US_ASCII);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> as(second).get("/api/v1/campaigns").statusCode() == 200);
        as(first).get("/api/v1/campaigns").then().statusCode(200);
        // Tokens signed before kids were written are still checked against each key of the set.
        as(adminToken(signingKeyOfTheService(), null))
                .get("/api/v1/campaigns")
                .then()
                .statusCode(200);

        Files.delete(FOLDER.resolve(JwtKeyFiles.PUBLIC_KEY));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> as(first).get("/api/v1/campaigns").statusCode() == 401);
        as(second).get("/api/v1/campaigns").then().statusCode(200);
    }

    private static String adminToken(PrivateKey key, String kid) {
        var claims = Jwt.subject("staff:1")
                .upn("admin")
                .groups(Set.of(Role.ADMIN))
                .claim(TokenService.SCOPE_CLAIM, List.of("*"))
                .expiresIn(600);
        return Secrets.remember(
                kid == null ? claims.sign(key) : claims.jws().keyId(kid).sign(key));
    }

    private static PrivateKey signingKeyOfTheService() throws Exception {
        return io.smallrye.jwt.util.KeyUtils.decodePrivateKey(
                Files.readString(Path.of("target", "test-keys", JwtKeyFiles.PRIVATE_KEY)));
    }

    private static String pem(byte[] der) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
    }
}
