package org.phocap.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs last: the service log written during the whole test run must not contain any phone
 * number, PIN, password, activation code or token that the tests sent or received.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@Order(Integer.MAX_VALUE)
class LogHygieneTest {
    static final Pattern PHONE = Pattern.compile("(\\+?84|(?<![0-9])0)[35789][0-9]{8}(?![0-9])");
    static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{10,}\\.");

    @Test
    void noSecretsInTheLog() throws IOException {
        Path log = Path.of("target", "phocap-test.log");
        assertTrue(Files.exists(log), "the test profile writes the service log to " + log);
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(text.contains("phocap"), "the log has content");
        List<String> seen = List.copyOf(Secrets.all());
        assertTrue(seen.size() > 20, "the other test classes recorded what they handled: " + seen.size());
        for (String secret : seen) {
            assertFalse(text.contains(secret), "a secret the tests handled appears in " + log);
        }
        Matcher phone = PHONE.matcher(text);
        assertFalse(
                phone.find(),
                () -> "a phone number appears in the log near: "
                        + text.substring(Math.max(0, phone.start() - 80), Math.min(text.length(), phone.end() + 20)));
        assertFalse(JWT.matcher(text).find(), "a JWT appears in the log");
    }
}
