package org.phocap.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.phocap.course.CoursePackages;

/**
 * CORS, as a real browser enforces it: a page served from an allowed origin (the test profile
 * admits http://allowed.localhost:*) signs in, reads the headers clients need and opens a live
 * stream with a stream ticket through the browser's own EventSource; the same page from another
 * origin (http://other.localhost:*) is blocked by the browser for both. Chromium resolves
 * *.localhost to this machine, so the two origins are two names of one page server.
 */
@Tag("browser")
@QuarkusTest
@WithTestResource(PostgresResource.class)
class CorsBrowserTest {
    static HttpServer pages;
    static Browser browser;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void start() throws Exception {
        pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pages.createContext("/", exchange -> {
            byte[] page =
                    "<!doctype html><html><head><meta charset=utf-8><title>app</title></head><body>app</body></html>"
                            .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        pages.start();
        browser = Browser.launch("cors");
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        pages.stop(0);
    }

    static final String CALLS = """
            (async () => {
              const api = '%s';
              const out = {};
              let browserTicket = null;
              try {
                const login = await fetch(api + 'api/v1/auth/login', {method: 'POST',
                    headers: {'Content-Type': 'application/json'}, body: JSON.stringify({username: 'admin', password: '%s'})});
                out.login = login.status;
                const token = (await login.json()).accessToken;
                const outline = await fetch(api + 'api/v1/courses/%d', {headers: {Authorization: 'Bearer ' + token}});
                out.etag = outline.headers.get('ETag');
                const ticket = await fetch(api + 'api/v1/me/stream-tickets', {method: 'POST', headers: {Authorization: 'Bearer ' + token}});
                browserTicket = (await ticket.json()).ticket;
                out.ticket = browserTicket ? 'issued' : 'none';
              } catch (e) {
                out.login = 'blocked: ' + e.name;
              }
              out.stream = await new Promise(resolve => {
                const source = new EventSource(api + 'api/v1/campaigns/%d/live?ticket=' + (browserTicket || '%s'));
                source.addEventListener('counters', event => { source.close(); resolve('counters ' + event.data.length); });
                source.onerror = () => { source.close(); resolve('error'); };
                setTimeout(() => { source.close(); resolve('timeout'); }, 10000);
              });
              return out;
            })()""";

    @Test
    void anAllowedOriginSignsInAndStreamsAndAnotherIsBlocked() throws Exception {
        long course = CoursePackages.publish("CORS-COURSE");
        Api.treeOnce("CR");
        long campaign = Api.campaignTeaching("CR", "CORS", List.of(course));
        int port = pages.getAddress().getPort();
        String api = base.toString().replace("127.0.0.1", "localhost");

        try (Browser.Page allowed = browser.open("http://allowed.localhost:" + port + "/")) {
            JsonNode out = allowed.eval(CALLS.formatted(api, Api.ADMIN_PASSWORD, course, campaign, streamTicket()));
            assertEquals(200, out.path("login").asInt(), out.toString());
            assertTrue(out.path("etag").asText().length() > 2, "ETag readable across origins: " + out);
            assertEquals("issued", out.path("ticket").asText(), out.toString());
            assertTrue(out.path("stream").asText().startsWith("counters"), "EventSource with a ticket: " + out);
            allowed.screenshot(Path.of("target", "cors-allowed.png"));
        }
        try (Browser.Page other = browser.open("http://other.localhost:" + port + "/")) {
            JsonNode out = other.eval(CALLS.formatted(api, Api.ADMIN_PASSWORD, course, campaign, streamTicket()));
            assertTrue(out.path("login").asText().startsWith("blocked"), "sign-in from another origin: " + out);
            assertEquals("error", out.path("stream").asText(), "EventSource from another origin: " + out);
        }
    }

    /** A fresh ticket of the admin's, made outside the browser: the one the other origin tries (it cannot make one). */
    static String streamTicket() {
        return Secrets.remember(as(admin())
                .post("/api/v1/me/stream-tickets")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("ticket"));
    }
}
