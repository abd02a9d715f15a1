package org.phocap.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.phocap.certificate.CertificateCourse;
import org.phocap.platform.PostgresResource;
import org.phocap.platform.TestClock;
import org.phocap.platform.TestDatabase;

/**
 * Finding 10: walking the sequential serials yields verdicts and initials, never a register of
 * names and villages; look-ups are limited per client address; every certificate has a code.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class PublicRegisterTest {
    static final CertificateCourse COURSE = new CertificateCourse("PB", 89);

    @TestHTTPResource("/")
    URL base;

    @Inject
    TestClock clock;

    @Inject
    Pool pool;

    @Test
    void walkingTheSerialsListsNoNamesOrVillages() {
        COURSE.ready();
        List<String> names = List.of("Hoàng Văn Một", "Hoàng Thị Hai", "Hoàng Văn Ba");
        List<String> serials = new ArrayList<>();
        for (String name : names) {
            CertificateCourse.Learner l = COURSE.learner(name);
            COURSE.complete(l, clock);
            serials.add((String) CertificateCourse.certificates(l, 1).get(0).get("serial"));
        }
        for (String serial : serials) {
            String json = given().get("/api/v1/public/certificates/" + serial)
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            String page = given().get("/verify/" + serial)
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            for (String name : names) {
                assertFalse(json.contains(name) || page.contains(name), "a name in " + json);
            }
            assertFalse(json.contains("Thôn Một") || page.contains("Thôn Một"), "a village in " + json);
            assertTrue(json.matches(".*\"holderInitials\":\"H\\. (V|T)\\. [MHB]\\.\".*"), json);
        }
        Long withoutCode = TestDatabase.first(
                        pool, "SELECT count(*) FROM certificate WHERE verification_code !~ '^[0-9A-F]{16}$'")
                .getLong(0);
        assertEquals(0L, withoutCode, "every certificate has a 64-bit code");
    }

    @Test
    void lookupsAreLimitedPerClientAddress() throws Exception {
        String serial = "PB-2026-000001-X";
        int limited = 0;
        String retryAfter = null;
        for (int i = 0; i < 210 && limited == 0; i++) {
            String response =
                    ViaProxy.send(base, "GET", "/api/v1/public/certificates/" + serial, "198.51.100.77", null);
            if (ViaProxy.status(response) == 429) {
                limited++;
                retryAfter = response.lines()
                        .filter(h -> h.toLowerCase().startsWith("retry-after:"))
                        .findFirst()
                        .orElse(null);
            }
        }
        assertEquals(1, limited, "the 201st look-up in a minute is refused");
        assertTrue(retryAfter != null, "with Retry-After");
        String other = ViaProxy.send(base, "GET", "/api/v1/public/certificates/" + serial, "198.51.100.78", null);
        assertTrue(
                ViaProxy.status(other) != 429,
                "another client is not affected: " + other.lines().findFirst().orElse(""));
    }
}
