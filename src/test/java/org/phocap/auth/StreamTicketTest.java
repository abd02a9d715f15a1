package org.phocap.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phocap.course.CoursePackages;
import org.phocap.platform.Api;
import org.phocap.platform.Hashing;
import org.phocap.platform.PostgresResource;
import org.phocap.platform.Secrets;
import org.phocap.platform.SseReader;

/**
 * Stream tickets: what lets a browser's EventSource (no Authorization header) open a stream. One
 * ticket opens one stream, once, within its minute, as the caller it was issued to, and nothing but
 * a stream; a caller holds at most 20 unused.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class StreamTicketTest {
    static final String P = "TK";
    static long course;
    static long campaign;
    static String learner;

    @TestHTTPResource("/")
    URL base;

    @Inject
    Pool pool;

    @BeforeEach
    void setUp() {
        if (learner != null) {
            return;
        }
        Api.treeOnce(P);
        course = CoursePackages.publish("TICKET-COURSE");
        campaign = Api.campaignTeaching(P, "Vé luồng", List.of(course));
        learner = Api.enrolledLearner(P, campaign, Api.phone(61, 1));
    }

    static String ticket(String token) {
        var answer = as(token)
                .post("/api/v1/me/stream-tickets")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        String ticket = Secrets.remember(answer.getString("ticket"));
        Instant expiresAt = Instant.parse(answer.getString("expiresAt"));
        assertTrue(
                expiresAt.isAfter(Instant.now().plusSeconds(50))
                        && expiresAt.isBefore(Instant.now().plusSeconds(61)),
                "60 s");
        return ticket;
    }

    String lessonStream() {
        return "api/v1/me/courses/" + course + "/stream";
    }

    int openWith(String path) {
        return RestAssured.given()
                .header("Accept", "text/event-stream")
                .get("/" + path)
                .then()
                .extract()
                .statusCode();
    }

    @Test
    void aTicketOpensOneStreamOnceAsItsOwner() throws Exception {
        String ticket = ticket(learner);
        try (SseReader stream = SseReader.open(base, lessonStream() + "?ticket=" + ticket, null, null)) {
            assertTrue(!stream.untilReady().isEmpty(), "the snapshot of the learner's lessons");
        }
        // Used: the same ticket opens nothing again.
        assertEquals(401, openWith(lessonStream() + "?ticket=" + ticket));
        // Unknown or malformed.
        assertEquals(401, openWith(lessonStream() + "?ticket=" + "A".repeat(43)));
        assertEquals(401, openWith(lessonStream() + "?ticket=short"));
        // No ticket and no token.
        assertEquals(401, openWith(lessonStream()));
    }

    @Test
    void aReconnectWithAFreshTicketNamesTheLastEventInTheQueryAndGetsWhatItMissed() throws Exception {
        String last;
        try (SseReader stream = SseReader.open(base, lessonStream() + "?ticket=" + ticket(learner), null, null)) {
            stream.untilReady();
            String sent = broadcast("Trước khi mất kết nối");
            SseReader.Event live = stream.next();
            assertEquals(sent, live.id());
            last = live.id();
        }
        String missed = broadcast("Trong lúc mất kết nối");
        try (SseReader again = SseReader.open(
                base, lessonStream() + "?ticket=" + ticket(learner) + "&lastEventId=" + last, null, null)) {
            SseReader.Event first = again.next();
            assertEquals(missed, first.id(), "the missed event, not the snapshot");
            assertEquals("announcement", first.name());
        }
    }

    static String broadcast(String text) {
        return Api.broadcast(course, text);
    }

    @Test
    void aTicketOpensStreamsOnlyAndIsNotSpentElsewhere() throws Exception {
        String ticket = ticket(learner);
        // Not a stream request: the ticket signs in nothing, and stays unspent.
        RestAssured.given().get("/api/v1/me/courses?ticket=" + ticket).then().statusCode(401);
        RestAssured.given()
                .header("Accept", "text/event-stream, application/json")
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/api/v1/me/stream-tickets?ticket=" + ticket)
                .then()
                .statusCode(401);
        try (SseReader stream = SseReader.open(base, lessonStream() + "?ticket=" + ticket, null, null)) {
            stream.untilReady();
        }
        // A learner's ticket does not open a staff stream.
        assertEquals(403, openWith("api/v1/campaigns/" + campaign + "/live?ticket=" + ticket(learner)));
    }

    @Test
    void staffStreamsTakeTicketsToo() throws Exception {
        try (SseReader live =
                SseReader.open(base, "api/v1/campaigns/" + campaign + "/live?ticket=" + ticket(admin()), null, null)) {
            SseReader.Event counters = live.next();
            assertEquals("counters", counters.name());
        }
    }

    @Test
    void importEventsTakeTicketsToo() throws Exception {
        String csv = Api.ROSTER_HEADER + "Vé Nhập," + Api.phone(61, 9) + ",1990,Nữ,Kinh," + P + "1-1-1,VILLAGE,\n";
        long importId =
                Api.upload(admin(), campaign, csv.getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/csv");
        Api.finished(admin(), importId);
        try (SseReader events =
                SseReader.open(base, "api/v1/imports/" + importId + "/events?ticket=" + ticket(admin()), null, null)) {
            java.util.List<SseReader.Event> all = events.untilEnd();
            assertEquals("done", all.get(all.size() - 1).name(), all.toString());
        }
    }

    @Test
    void anExpiredTicketOpensNothing() {
        String ticket = ticket(learner);
        pool.preparedQuery("UPDATE stream_ticket SET expires_at = now() - interval '1 second' WHERE ticket_hash = $1")
                .execute(Tuple.of(Hashing.sha256(ticket)))
                .await()
                .indefinitely();
        assertEquals(401, openWith(lessonStream() + "?ticket=" + ticket));
    }

    @Test
    void aCallerHoldsAtMostTwentyUnusedTickets() {
        String other = Api.enrolledLearner(P, campaign, Api.phone(61, 2));
        for (int i = 0; i < 20; i++) {
            ticket(other);
        }
        as(other)
                .post("/api/v1/me/stream-tickets")
                .then()
                .statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", "60");
        // Another caller is not affected.
        ticket(learner);
        // Without a token there is no ticket.
        RestAssured.given().post("/api/v1/me/stream-tickets").then().statusCode(401);
    }
}
