package org.phocap.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Headless Chromium (Debian's, as the verification-page test uses) driven over the DevTools
 * protocol: open a page, run JavaScript in it (awaiting promises), wait for a condition, take a
 * screenshot. Enough for browser tests of pages and of what a browser allows (CORS, EventSource)
 * without a browser-automation library.
 */
public final class Browser implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private Browser(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a headless Chromium with a fresh profile under target/. */
    public static Browser launch(String name) throws Exception {
        Path profile = Path.of("target", "chromium-" + name).toAbsolutePath();
        deleteTree(profile);
        Files.createDirectories(profile);
        List<String> command = new ArrayList<>(List.of(
                binary(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-quic",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                "about:blank"));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "chromium-" + name + ".log").toFile())
                .start();
        Path active = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(active) || Files.readAllLines(active).isEmpty()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("Chromium did not start: see target/chromium-" + name + ".log");
            }
            Thread.sleep(50);
        }
        return new Browser(
                process, Integer.parseInt(Files.readAllLines(active).get(0).trim()));
    }

    static String binary() {
        String configured = System.getenv("PHOCAP_CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv("PATH").split(":")) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        throw new IllegalStateException("no Chromium found (install Debian's chromium, or set PHOCAP_CHROMIUM)");
    }

    /** A new tab, sized like a phone (360 px wide) unless told otherwise. */
    public Page open(String url) throws Exception {
        return open(url, 360, 780);
    }

    public Page open(String url, int width, int height) throws Exception {
        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/new?about:blank"))
                        .PUT(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode target = JSON.readTree(created.body());
        Listener listener = new Listener();
        Page page = new Page(
                http.newWebSocketBuilder()
                        .buildAsync(
                                URI.create(target.path("webSocketDebuggerUrl").asText()), listener)
                        .get(10, TimeUnit.SECONDS),
                listener);
        page.call("Page.enable", Map.of());
        page.call("Runtime.enable", Map.of());
        page.call(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", width < 600));
        page.navigate(url);
        return page;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Collects a page's protocol messages: answers by id, events in order. */
    private static final class Listener implements WebSocket.Listener {
        final StringBuilder partial = new StringBuilder();
        final Map<Integer, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
        final List<JsonNode> events = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(partial.toString());
                    if (message.has("id")) {
                        CompletableFuture<JsonNode> answer =
                                waiting.remove(message.get("id").asInt());
                        if (answer != null) {
                            answer.complete(message);
                        }
                    } else {
                        events.add(message);
                    }
                } catch (IOException e) {
                    // Not JSON: not something this client asked for.
                }
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }
    }

    /** One tab. */
    public final class Page implements AutoCloseable {
        private final WebSocket socket;
        private final Listener listener;
        private final AtomicInteger ids = new AtomicInteger();

        private Page(WebSocket socket, Listener listener) {
            this.socket = socket;
            this.listener = listener;
        }

        JsonNode call(String method, Map<String, ?> params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            listener.waiting.put(id, answer);
            ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
            message.set("params", JSON.valueToTree(params));
            socket.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
            JsonNode reply = answer.get(60, TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new IllegalStateException(method + ": " + reply.get("error"));
            }
            return reply.path("result");
        }

        /** Goes to a URL and waits for its load event. */
        public void navigate(String url) throws Exception {
            int seen = listener.events.size();
            call("Page.navigate", Map.of("url", url));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // A snapshot first: a copy-on-write list's subList fails if an event arrives while it is read.
            while (List.copyOf(listener.events).stream()
                    .skip(seen)
                    .noneMatch(e -> e.path("method").asText().equals("Page.loadEventFired"))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no load event for " + url);
                }
                Thread.sleep(20);
            }
        }

        /** Runs JavaScript (an expression, or an async function body's result) and answers its JSON value. */
        public JsonNode eval(String expression) throws Exception {
            JsonNode result = call(
                    "Runtime.evaluate",
                    Map.of("expression", expression, "awaitPromise", true, "returnByValue", true, "userGesture", true));
            if (result.has("exceptionDetails")) {
                throw new IllegalStateException(
                        "JavaScript failed: " + result.get("exceptionDetails") + "\nconsole: " + console());
            }
            return result.path("result").path("value");
        }

        /** Waits until a JavaScript condition is true. */
        public void waitFor(String condition, Duration within) throws Exception {
            long deadline = System.nanoTime() + within.toNanos();
            while (!eval("!!(" + condition + ")").asBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(
                            "not true within " + within + ": " + condition + "\nconsole: " + console() + "\ntext: "
                                    + eval("document.body ? document.body.innerText : ''")
                                            .asText());
                }
                Thread.sleep(100);
            }
        }

        /** What the page wrote to its console, and the errors the browser reported. */
        public List<String> console() {
            List<String> lines = new ArrayList<>();
            for (JsonNode e : listener.events) {
                String method = e.path("method").asText();
                if (method.equals("Runtime.consoleAPICalled")) {
                    StringBuilder line =
                            new StringBuilder(e.path("params").path("type").asText()).append(':');
                    e.path("params")
                            .path("args")
                            .forEach(a -> line.append(' ')
                                    .append(a.path("value")
                                            .asText(a.path("description").asText())));
                    lines.add(line.toString());
                } else if (method.equals("Runtime.exceptionThrown")) {
                    lines.add("exception: " + e.path("params").path("exceptionDetails"));
                }
            }
            return lines;
        }

        /** Takes the page off the network (or back on), as the DevTools' network emulation does. */
        public void offline(boolean offline) throws Exception {
            call("Network.enable", Map.of());
            call(
                    "Network.emulateNetworkConditions",
                    Map.of("offline", offline, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
        }

        /** A PNG of the viewport, written to the path given. */
        public void screenshot(Path file) throws Exception {
            JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png"));
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
        }

        @Override
        public void close() {
            socket.abort();
        }
    }
}
