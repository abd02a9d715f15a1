package org.phocap.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.phocap.platform.Api;
import org.phocap.platform.PostgresResource;
import org.phocap.platform.Secrets;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class VerifiedTokenCacheTest {
    @Inject
    JWTParser parser;

    @Inject
    SigningKey signingKey;

    @Test
    void theAppVerifiesEachTokenOnceAndReusesTheClaims() throws Exception {
        assertInstanceOf(VerifiedTokenCache.class, parser);
        String token = Api.login("admin", Api.ADMIN_PASSWORD).getString("accessToken");
        as(token).get("/api/v1/campaigns").then().statusCode(200);
        as(token).get("/api/v1/campaigns").then().statusCode(200);
        assertSame(parser.parse(token), parser.parse(token));
    }

    @Test
    void tamperedAndExpiredTokensAreStillRefused() {
        String token = Api.login("admin", Api.ADMIN_PASSWORD).getString("accessToken");
        as(token).get("/api/v1/campaigns").then().statusCode(200);
        // Same header and claims, another signature: not a cache hit, and invalid.
        String tampered =
                token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
        as(tampered).get("/api/v1/campaigns").then().statusCode(401);

        String expired = Secrets.remember(Jwt.subject("staff:1")
                .upn("admin")
                .groups(Set.of(Role.ADMIN))
                .claim(TokenService.SCOPE_CLAIM, java.util.List.of("*"))
                .issuedAt(Instant.now().minusSeconds(3600))
                .expiresAt(Instant.now().minusSeconds(60))
                .sign(signingKey.key()));
        as(expired).get("/api/v1/campaigns").then().statusCode(401);
        as(expired).get("/api/v1/campaigns").then().statusCode(401);
        assertEquals(401, as(expired).get("/api/v1/campaigns").statusCode());
    }
}
