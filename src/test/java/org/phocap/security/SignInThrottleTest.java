package org.phocap.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.phocap.platform.Api;
import org.phocap.platform.PostgresResource;
import org.phocap.platform.Secrets;

/**
 * Findings 8 and 9: failed sign-ins throttle one client on one account, never the account for
 * everyone; the client is the forwarded one only when the peer is a trusted proxy. In tests the
 * trusted proxy is 127.0.0.2 (a socket bound there), and RestAssured's 127.0.0.1 is an untrusted peer.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class SignInThrottleTest {
    @TestHTTPResource("/")
    URL base;

    private static String account(String username) {
        Api.treeOnce("TH");
        return Api.supporter(username, "TH") != null ? Secrets.remember("supporter-pass-" + username) : null;
    }

    private static String login(String username, String password) {
        return "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
    }

    /** A login sent through the trusted proxy on behalf of the given client. */
    private int viaProxy(String client, String body) throws Exception {
        return ViaProxy.status(ViaProxy.send(base, "POST", "/api/v1/auth/login", client, body));
    }

    @Test
    void strangersFailingOnAnAccountLockOnlyThemselvesAndTheirAnswerSaysWhenToRetry() {
        String password = account("th.victim");
        for (int i = 0; i < 3; i++) {
            given().contentType(ContentType.JSON)
                    .body(login("th.victim", "wrong-" + i))
                    .post("/api/v1/auth/login")
                    .then()
                    .statusCode(401);
        }
        Response locked = given().contentType(ContentType.JSON)
                .body(login("th.victim", password))
                .post("/api/v1/auth/login");
        assertEquals(429, locked.statusCode());
        assertEquals("application/problem+json", locked.contentType().replaceAll(";.*", ""));
        String retryAfter = locked.header("Retry-After");
        assertNotNull(retryAfter, "429 carries Retry-After");
        assertTrue(Integer.parseInt(retryAfter) > 0 && Integer.parseInt(retryAfter) <= 15 * 60, retryAfter);
    }

    @Test
    void thirtyFailuresFromOneForwardedClientDoNotStopAnotherForwardedClient() throws Exception {
        String password = account("th.shared");
        int refused = 0;
        for (int i = 0; i < 30; i++) {
            int status = viaProxy("198.51.100.1", login("th.shared", "typo-" + i));
            assertTrue(status == 401 || status == 429, "status " + status);
            refused += status == 429 ? 1 : 0;
        }
        assertTrue(refused >= 25, "the guessing client itself is throttled: " + refused);
        // The account is not locked: the user, behind the same ingress, signs in (only a little slower).
        long started = System.nanoTime();
        assertEquals(200, viaProxy("198.51.100.2", login("th.shared", password)));
        assertTrue((System.nanoTime() - started) / 1_000_000 < 5_000, "slowed, not stopped");
        // And one more forwarded client with typos is counted on its own.
        assertEquals(401, viaProxy("198.51.100.3", login("th.shared", "typo-x")));
    }

    @Test
    void aSpoofedForwardedForFromAnUntrustedPeerIsIgnored() {
        account("th.spoof");
        for (int i = 0; i < 3; i++) {
            given().header("X-Forwarded-For", "192.0.2." + (i + 10))
                    .contentType(ContentType.JSON)
                    .body(login("th.spoof", "wrong-" + i))
                    .post("/api/v1/auth/login")
                    .then()
                    .statusCode(401);
        }
        // Three failures were counted on this peer (127.0.0.1) whatever it claimed to forward.
        given().header("X-Forwarded-For", "192.0.2.99")
                .contentType(ContentType.JSON)
                .body(login("th.spoof", "wrong-again"))
                .post("/api/v1/auth/login")
                .then()
                .statusCode(429);
    }

    @Test
    void wrongActivationCodesForAPhoneLockOnlyTheGuessingClient() throws Exception {
        Api.treeOnce("TH");
        long campaign = Api.campaign("TH");
        String phone = Api.phone(98, 1);
        long importId = Api.upload(
                Api.admin(),
                campaign,
                (Api.ROSTER_HEADER + "Người Mới," + phone + ",1980,Nam,Kinh,TH1-1-1,VILLAGE,\n")
                        .getBytes(StandardCharsets.UTF_8),
                "text/csv");
        Api.finished(Api.admin(), importId);
        for (int i = 0; i < 5; i++) {
            given().contentType(ContentType.JSON)
                    .body(Map.of("phone", phone, "code", "ZZZZZ" + i, "pin", "271828"))
                    .post("/api/v1/auth/activate");
        }
        given().contentType(ContentType.JSON)
                .body(Map.of("phone", phone, "code", "ZZZZZZ", "pin", "271828"))
                .post("/api/v1/auth/activate")
                .then()
                .statusCode(429);
        String codes = Api.as(Api.admin())
                .get("/api/v1/imports/" + importId + "/activation-codes.csv")
                .asString();
        String code = Secrets.remember(codes.lines()
                .filter(l -> l.contains(Api.e164(phone)))
                .findFirst()
                .orElseThrow()
                .replaceAll(".*,", ""));
        // The learner's own phone, on another network, still activates.
        String response = ViaProxy.send(
                base,
                "POST",
                "/api/v1/auth/activate",
                "203.0.113.50",
                "{\"phone\":\"" + phone + "\",\"code\":\"" + code + "\",\"pin\":\"" + Secrets.remember("271828")
                        + "\"}");
        assertTrue(
                response.startsWith("HTTP/1.1 200"),
                response.lines().findFirst().orElse(""));
    }
}
