package org.phocap.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's walkthrough, run as written: every {@code sh} block the README marks with
 * {@code <!-- walkthrough -->}, in order, in one {@code bash -euo pipefail}, against the packaged jar
 * started as the README says (embedded PostgreSQL, demo data), the ADMIN password typed on standard
 * input where the first block asks for it. The only change to the text is the port: the README says
 * 8080, the test's server listens on a free one. Any error answer where the README expects success
 * ({@code curl -f}) stops the script and fails the test, so the README cannot rot.
 */
class ReadmeWalkthroughIT {
    static final Pattern BLOCK = Pattern.compile("<!-- walkthrough -->\\n```sh\\n(.*?)```", Pattern.DOTALL);

    static String walkthrough(String readme) {
        StringBuilder script = new StringBuilder();
        Matcher blocks = BLOCK.matcher(readme);
        while (blocks.find()) {
            script.append(blocks.group(1));
        }
        return script.toString();
    }

    @Test
    void theReadmesWalkthroughRunsAsWritten() throws Exception {
        String script = walkthrough(Files.readString(Path.of("README.md")));
        assertTrue(script.contains("http://localhost:8080"), "the README's walkthrough blocks were not found");
        Path dataDir = Path.of("target", "it-data", "readme-walkthrough");
        deleteTree(dataDir);
        try (AppProcess app = AppProcess.start("readme-walkthrough", null, Map.of("PHOCAP_DEMO_ENABLED", "true"))) {
            app.awaitReady(Duration.ofSeconds(180));
            Path work = Files.createDirectories(Path.of("target", "readme-walkthrough"));
            Path file = work.resolve("walkthrough.sh");
            Files.writeString(file, script.replace("http://localhost:8080", "http://localhost:" + app.port()));
            Path out = work.resolve("out.txt");
            Process bash = new ProcessBuilder(List.of(
                            "bash", "-euo", "pipefail", file.getFileName().toString()))
                    .directory(work.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            bash.getOutputStream().write((Api.ADMIN_PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
            bash.getOutputStream().close();
            boolean ended = bash.waitFor(3, TimeUnit.MINUTES);
            if (!ended) {
                bash.destroyForcibly();
            }
            String output = Files.readString(out);
            assertTrue(ended, "the walkthrough did not end within 3 minutes:\n" + output);
            assertEquals(
                    0,
                    bash.exitValue(),
                    "the walkthrough failed (its output, then the server's log are in target/):\n" + output);
            // What the README's comments promise along the way.
            assertTrue(output.contains("206"), "the media range answer\n" + output);
            assertTrue(output.contains("\"creditedSec\":10.0"), "ten seconds credited by two heartbeats\n" + output);
            assertTrue(output.contains("event:quiz-graded"), "the quiz graded on the lesson stream\n" + output);
            assertTrue(output.contains("%PDF-"), "the certificate PDF\n" + output);
            assertTrue(output.contains("\"detailsShown\":true"), "verification with the printed code\n" + output);
            assertTrue(output.contains("\n404\n"), "the supporter's 404 outside the district\n" + output);
            assertTrue(output.contains("event:done"), "the import's events end with done\n" + output);
            assertTrue(output.contains("not a Vietnamese mobile number"), "the rejected row\n" + output);
        }
    }

    private static void deleteTree(Path root) throws Exception {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
