package org.phocap.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phocap.course.CoursePackages;
import org.phocap.platform.Api;
import org.phocap.platform.InApp;
import org.phocap.platform.InProcessOnly;
import org.phocap.platform.PostgresResource;
import org.phocap.platform.SseReader;
import org.phocap.stream.StreamEvents;
import org.phocap.stream.StreamHub;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class LessonStreamTest {
    static final String P = "LS";
    static long course;
    static long campaign;
    static String learner;

    @TestHTTPResource("/")
    URL base;

    final StreamEvents events = InApp.bean(StreamEvents.class);

    final StreamHub hub = InApp.bean(StreamHub.class);

    final io.micrometer.core.instrument.MeterRegistry metrics =
            InApp.bean(io.micrometer.core.instrument.MeterRegistry.class);

    double dropped() {
        return metrics.counter("phocap.stream.dropped", "reason", "slow-client").count();
    }

    @BeforeEach
    void setUp() {
        if (learner != null) {
            return;
        }
        Api.treeOnce(P);
        course = CoursePackages.publish("STREAM-COURSE");
        campaign = Api.campaignTeaching(P, "Luồng bài học", List.of(course));
        learner = Api.enrolledLearner(P, campaign, Api.phone(60, 1));
    }

    /** The learner's id, from the token's subject (learner:{id}). */
    static long learnerId(String token) throws Exception {
        String payload =
                new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        String subject = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(payload)
                .path("sub")
                .asText();
        return Long.parseLong(subject.substring(subject.indexOf(':') + 1));
    }

    SseReader open(String lastEventId) throws Exception {
        return SseReader.open(base, "api/v1/me/courses/" + course + "/stream", learner, lastEventId);
    }

    static String broadcast(String text) {
        return Api.broadcast(course, text);
    }

    @Test
    void aCourseTheLearnerDoesNotStudyIsA404BeforeAnyStreamOpens() {
        // Not an open stream that is cut at once (an EventSource would come back every few seconds,
        // and the SSE writer logged an ERROR each time): a problem answer EventSource does not retry.
        io.restassured.RestAssured.given()
                .header("Authorization", "Bearer " + learner)
                .accept("text/event-stream")
                .get("/api/v1/me/courses/" + (course + 100_000) + "/stream")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("No course"));
    }

    @Test
    void theStreamRouteAnswersItsEdgesAsRestDid() {
        String path = "/api/v1/me/courses/" + course + "/stream";
        // No token, a staff token, a token that is not one: problems, nothing opened.
        io.restassured.RestAssured.given()
                .accept("text/event-stream")
                .get(path)
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        io.restassured.RestAssured.given()
                .header("Authorization", "Bearer " + Api.admin())
                .accept("text/event-stream")
                .get(path)
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        io.restassured.RestAssured.given()
                .header("Authorization", "Bearer not-a-token")
                .accept("text/event-stream")
                .get(path)
                .then()
                .statusCode(401);
        // A client that takes only JSON is told so; a course id that is not a number is no resource.
        io.restassured.RestAssured.given()
                .header("Authorization", "Bearer " + learner)
                .accept("application/json")
                .get(path)
                .then()
                .statusCode(406)
                .contentType("application/problem+json");
        io.restassured.RestAssured.given()
                .header("Authorization", "Bearer " + learner)
                .accept("text/event-stream")
                .get("/api/v1/me/courses/abc/stream")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        // Other methods: 405 with what is allowed; OPTIONS says it.
        io.restassured.RestAssured.given()
                .header("Authorization", "Bearer " + learner)
                .post(path)
                .then()
                .statusCode(405)
                .header("Allow", "GET, OPTIONS")
                .contentType("application/problem+json");
        io.restassured.RestAssured.given().options(path).then().statusCode(200).header("Allow", "GET, OPTIONS");
    }

    @Test
    void aReplayWithNothingMissedOpensAtOnceAndThenCarriesLiveEvents() throws Exception {
        // No opening events to send: the status line still goes out at once (SseReader waits 10 s
        // for it; the first keep-alive would come after 20), then live events as ever.
        try (SseReader reader = open("9000000000000000000")) {
            String id = broadcast("Nhắc lịch học tối nay");
            SseReader.Event live = reader.next();
            assertEquals("announcement", live.name());
            assertEquals(id, live.id());
        }
    }

    @Test
    void snapshotReadyLiveThenExactReplayAfterReconnect() throws Exception {
        String lastSeen;
        try (SseReader reader = open(null)) {
            List<String> lessons = new ArrayList<>();
            SseReader.Event event;
            while (!"ready".equals((event = reader.next()).name())) {
                assertEquals("lesson", event.name());
                assertTrue(event.id() != null);
                lessons.add(event.data().replaceAll(".*\"code\":\"([^\"]+)\".*", "$1"));
            }
            assertEquals(List.of("L1", "L2", "L3"), lessons);
            String id = broadcast("Chào mừng các bạn đến với khóa học");
            SseReader.Event live = reader.next();
            assertEquals("announcement", live.name());
            assertEquals(id, live.id());
            assertTrue(live.data().contains("Chào mừng"), live.data());
            lastSeen = live.id();
        }
        // Missed while away: exactly these two, in order, and no snapshot again.
        String missed1 = broadcast("Lịch học đợt 2");
        String missed2 = broadcast("Nhắc nhở làm bài kiểm tra");
        try (SseReader reader = open(lastSeen)) {
            SseReader.Event first = reader.next();
            SseReader.Event second = reader.next();
            assertEquals(List.of(missed1, missed2), List.of(first.id(), second.id()));
            assertEquals("announcement", first.name());
            String after = broadcast("Sau khi kết nối lại");
            SseReader.Event third = reader.next();
            assertEquals(after, third.id(), "the next event is the live one, without duplicates");
        }
    }

    /** The test log from here on: what the service logged while a test ran. */
    static final class LogSince {
        static final java.nio.file.Path FILE = java.nio.file.Path.of("target", "phocap-test.log");
        final long mark;

        LogSince() throws Exception {
            mark = java.nio.file.Files.size(FILE);
        }

        List<String> sseErrors() throws Exception {
            byte[] all = java.nio.file.Files.readAllBytes(FILE);
            int from = all.length >= mark ? (int) mark : 0; // rotated meanwhile: all of the new file
            return new String(all, from, all.length - from, StandardCharsets.UTF_8)
                    .lines()
                    .filter(l ->
                            l.contains(" ERROR ") || l.contains(" WARN ") || l.contains("PublisherResponseHandler"))
                    .toList();
        }
    }

    @Test
    @InProcessOnly("publishes through StreamEvents and watches the hub and its meters")
    void streamsClosedByTheirClientsLeaveNoErrorInTheLog() throws Exception {
        LogSince log = new LogSince();
        long learnerId = learnerId(learner);
        java.util.concurrent.atomic.AtomicBoolean publishing = new java.util.concurrent.atomic.AtomicBoolean(true);
        // Quiet while a stream opens: live events that arrive during an opening wait for it, and a
        // flood of them on a slow machine could outgrow the stream's buffer before its first read
        // (the stream is then cut as a slow client, which is right, but not what this test is about).
        java.util.concurrent.atomic.AtomicBoolean quiet = new java.util.concurrent.atomic.AtomicBoolean();
        Thread publisher = new Thread(() -> {
            while (publishing.get()) {
                if (quiet.get()) {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                    continue;
                }
                events.publish(course, null, "announcement", Map.of("text", "y".repeat(2000)))
                        .await()
                        .indefinitely();
            }
        });
        publisher.start();
        try {
            for (int i = 0; i < 12; i++) {
                quiet.set(true);
                Socket socket = new Socket(base.getHost(), base.getPort());
                socket.getOutputStream()
                        .write(("GET /api/v1/me/courses/" + course + "/stream HTTP/1.1\r\nHost: localhost\r\n"
                                        + "Accept: text/event-stream\r\nAuthorization: Bearer " + learner + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                socket.setSoTimeout(10_000);
                java.io.InputStream in = socket.getInputStream();
                readUntil(in, "event:ready", "the stream opened");
                // Live events flowing again before the client goes: writes are in flight as it hangs up.
                quiet.set(false);
                readUntil(in, "event:announcement", "the stream carried live events");
                // Half of them hang up abruptly (a reset, as a phone losing its network does), half politely.
                if (i % 2 == 0) {
                    socket.setSoLinger(true, 0);
                }
                socket.close();
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> hub.streamsOf(learnerId) == 0);
        } finally {
            publishing.set(false);
            publisher.join();
        }
        assertEquals(List.of(), log.sseErrors(), "a client that went away is no error");
    }

    /** Reads the stream until {@code marker} has gone by (across reads); fails with {@code what} if it ends first. */
    private static void readUntil(java.io.InputStream in, String marker, String what) throws java.io.IOException {
        byte[] buffer = new byte[8192];
        String tail = "";
        while (true) {
            int n = in.read(buffer);
            assertTrue(n > 0, what);
            String seen = tail + new String(buffer, 0, n, StandardCharsets.UTF_8);
            if (seen.contains(marker)) {
                return;
            }
            tail = seen.substring(Math.max(0, seen.length() - marker.length()));
        }
    }

    @Test
    @InProcessOnly("publishes through StreamEvents and watches the hub and its meters")
    void aClientThatStopsReadingIsCutOffInsteadOfBuffered() throws Exception {
        LogSince log = new LogSince();
        double droppedBefore = dropped();
        long learnerId = learnerId(learner);
        // The previous test's streams of this learner are closed first: counting all open streams
        // raced with their closing (one opened as one closed, and the count stood still).
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> hub.streamsOf(learnerId) == 0);
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()));
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/me/courses/" + course + "/stream HTTP/1.1\r\nHost: localhost\r\n"
                            + "Accept: text/event-stream\r\nAuthorization: Bearer " + learner + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> hub.streamsOf(learnerId) == 1);
            // Never read; publish far more than the socket buffers and the stream's buffer can hold.
            String text = "x".repeat(4000);
            int sent = 0;
            while (sent < 2500 && dropped() == droppedBefore) {
                events.publish(course, null, "announcement", Map.of("text", text))
                        .await()
                        .indefinitely();
                sent++;
            }
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> dropped() > droppedBefore);
            // The stream was cut after a bounded number of events, far fewer than were offered.
            assertTrue(sent < 2500, "cut after " + sent + " events");
        }
        assertEquals(List.of(), log.sseErrors(), "cutting a slow client off is no error");
    }
}
