import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load generator for lesson streams (run as its own process by streams.sh): opens N SSE streams
 * as N learners, waits until every stream is 'ready', asks the server to broadcast one
 * announcement, and measures how long until every stream has received it.
 *
 * Tokens are prepared beforehand (loadtests/tokens/BenchTokens.java, with the server's private
 * key), as a load-test rig would be given them.
 */
public class StreamsBench {
    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = Integer.parseInt(args[0]);
        // "learnerId token" lines prepared beforehand (loadtests/tokens/BenchTokens.java); learner i+1 is line i.
        List<String> tokens = Files.readAllLines(Path.of(args[1])).stream()
                .filter(l -> !l.isBlank())
                .map(l -> l.trim().split(" ", 2)[1])
                .toList();
        long course = Long.parseLong(args[2]);
        int count = Integer.parseInt(args[3]);
        String adminToken = args[4];
        // Optional: the port of another instance on the same database to broadcast through (issue 9).
        int broadcastPort = args.length > 5 ? Integer.parseInt(args[5]) : port;

        Vertx vertx = Vertx.vertx();
        HttpClient client = connectionsFor(vertx, count);
        long[] arrival = new long[count];
        CountDownLatch ready = new CountDownLatch(count);
        CountDownLatch received = new CountDownLatch(count);
        AtomicInteger failed = new AtomicInteger();
        boolean[][] flags = new boolean[count][];
        // One context per event loop of the client, streams spread over them: on one loop, reading
        // 10,000 streams' broadcast one after another took the client itself about half a second,
        // which the latency then measured instead of the server.
        int loops = Integer.getInteger("loops", 2 * Runtime.getRuntime().availableProcessors());
        io.vertx.core.Context[] contexts = new io.vertx.core.Context[loops];
        for (int k = 0; k < loops; k++) {
            contexts[k] = ((io.vertx.core.impl.VertxInternal) vertx).createEventLoopContext();
        }
        // The ceiling beside the opening rate, in the same run: the same client opening as many
        // connections at once, each asking the health endpoint (management port) and holding on. The
        // first pass warms this client (its own JIT would otherwise compete with a cold server for
        // the two cores and be measured as the server); the second is the ceiling. The server's stream
        // path stays cold: only its health endpoint, which probes ask anyway, has been called.
        int managementPort = Integer.getInteger("managementPort", port + 1000);
        connectionCeiling(vertx, host, managementPort, count, contexts);
        double ceiling = connectionCeiling(vertx, host, managementPort, count, contexts);
        System.out.printf("ceiling: %d connections opened and answered (health) at %.0f/s%n", count, ceiling);
        long openStart = System.nanoTime();
        AtomicInteger reconnects = new AtomicInteger();
        Opener opener = new Opener(
                vertx, client, host, port, course, tokens, arrival, ready, received, failed, reconnects, flags);
        for (int i = 0; i < count; i++) {
            int index = i;
            // Open in steps so the server accepts connections at a steady pace.
            if (i % 500 == 0 && i > 0) {
                Thread.sleep(100);
            }
            // Requests are issued on the client's event loop: registered from another thread, the
            // response handler can come after the first chunk, which Vert.x then drops
            // (eclipse-vertx/vert.x#5825). That race was the "never ready" streams of earlier runs.
            contexts[index % loops].runOnContext(v -> opener.open(index));
        }
        boolean allReady = ready.await(180, TimeUnit.SECONDS);
        long readyCount = count - ready.getCount();
        double openSeconds = (System.nanoTime() - openStart) / 1e9;
        System.out.printf(
                "streams ready: %d of %d in %.1f s (%.0f/s; reconnects as EventSource would: %d; refused: %d)%n",
                readyCount, count, openSeconds, readyCount / openSeconds, reconnects.get(), failed.get());
        if (!allReady && readyCount < count * 0.99) {
            System.exit(1);
        }
        System.out.println("READY");
        // The script samples the server's RSS now; give it a moment.
        Thread.sleep(3000);

        // The admin's client is warm (created, connected) before the clock starts: its start-up in
        // this JVM is not the server's latency.
        java.net.http.HttpClient admin = java.net.http.HttpClient.newHttpClient();
        admin.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                "http://" + host + ":" + broadcastPort + "/api/v1/courses/" + course))
                        .header("Authorization", "Bearer " + adminToken)
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        long sent = System.nanoTime();
        java.net.http.HttpResponse<String> response = admin.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                "http://" + host + ":" + broadcastPort + "/api/v1/courses/" + course + "/broadcast"))
                        .header("Authorization", "Bearer " + adminToken)
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"text\":\"Thông báo: lịch học đợt 2\"}"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        long answered = System.nanoTime();
        if (response.statusCode() != 202) {
            System.out.println("broadcast failed: " + response.statusCode() + " " + response.body());
            System.exit(1);
        }
        // Streams that never became ready are not waited for; they are reported above.
        boolean all = awaitCount(received, ready.getCount(), 60);
        long[] latencies = Arrays.stream(arrival)
                .filter(t -> t > 0)
                .map(t -> t - sent)
                .sorted()
                .toArray();
        System.out.printf(
                "broadcast delivered to %d of %d streams (the POST answered in %.0f ms)%n",
                latencies.length, count, (answered - sent) / 1e6);
        int notReady = 0;
        int noLesson = 0;
        StringBuilder which = new StringBuilder();
        for (int k = 0; k < count; k++) {
            boolean[] f = flags[k];
            if (f != null && f[1] && !f[0]) {
                notReady++;
                which.append(' ').append(k + 1);
                if (!f[2]) {
                    noLesson++;
                }
            }
        }
        System.out.printf(
                "streams with the broadcast but no 'ready' seen by this client: %d (of those, %d saw no 'lesson' either)%s%n",
                notReady, noLesson, notReady == 0 ? "" : "; learners:" + which);
        if (latencies.length > 0) {
            System.out.printf(
                    "latency: first %.0f ms, p50 %.0f ms, p99 %.0f ms, all (max) %.0f ms%n",
                    latencies[0] / 1e6,
                    latencies[latencies.length / 2] / 1e6,
                    latencies[(int) (latencies.length * 0.99)] / 1e6,
                    latencies[latencies.length - 1] / 1e6);
        }
        client.close();
        boolean stormReady = true;
        if (!Boolean.getBoolean("noStorm")) {
            stormReady = reconnectStorm(vertx, host, port, course, tokens, count, contexts);
        }
        vertx.close();
        System.exit(all && stormReady ? 0 : 2);
    }

    /** A client that may hold {@code count} connections open at once, none closed for idling. */
    static HttpClient connectionsFor(Vertx vertx, int count) {
        return vertx.createHttpClient(new HttpClientOptions()
                .setMaxPoolSize(count + 10)
                .setKeepAlive(true)
                .setIdleTimeout(0));
    }

    /** Opens {@code count} connections at once, each asking the health endpoint; connections per second. */
    static double connectionCeiling(Vertx vertx, String host, int port, int count, io.vertx.core.Context[] contexts)
            throws InterruptedException {
        HttpClient client = connectionsFor(vertx, count);
        CountDownLatch answered = new CountDownLatch(count);
        AtomicInteger failures = new AtomicInteger();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (i % 500 == 0 && i > 0) {
                Thread.sleep(100); // paced as the streams are below
            }
            contexts[i % contexts.length].runOnContext(v -> client.request(HttpMethod.GET, port, host, "/q/health/live")
                    .compose(req -> req.send())
                    .compose(resp -> resp.body())
                    .onComplete(done -> {
                        if (done.failed()) {
                            failures.incrementAndGet();
                        }
                        answered.countDown();
                    }));
        }
        answered.await(120, TimeUnit.SECONDS);
        double rate = (count - answered.getCount()) / ((System.nanoTime() - start) / 1e9);
        client.close();
        if (failures.get() > 0) {
            System.out.println("ceiling: " + failures.get() + " health requests failed");
        }
        Thread.sleep(1000); // the server closes the connections
        return rate;
    }

    /**
     * A reconnect storm on a warm server: every stream was just cut at once (the client closed all
     * its connections, as when the pod they were on went away), and all come back in the same
     * instant, none paced, each asking for a fresh snapshot (the costlier opening: a replay with
     * Last-Event-ID reads one query). Measures the time until every one has 'ready'.
     */
    static boolean reconnectStorm(
            Vertx vertx,
            String host,
            int port,
            long course,
            List<String> tokens,
            int count,
            io.vertx.core.Context[] contexts)
            throws InterruptedException {
        Thread.sleep(2000); // the server notices the closed connections
        HttpClient client = connectionsFor(vertx, count);
        CountDownLatch ready = new CountDownLatch(count);
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger reconnects = new AtomicInteger();
        Opener opener = new Opener(
                vertx,
                client,
                host,
                port,
                course,
                tokens,
                new long[count],
                ready,
                new CountDownLatch(count),
                failed,
                reconnects,
                new boolean[count][]);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            int index = i;
            contexts[index % contexts.length].runOnContext(v -> opener.open(index));
        }
        boolean all = ready.await(180, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        long readyCount = count - ready.getCount();
        System.out.printf(
                "reconnect storm (warm server, all %d at once): ready %d in %.1f s (%.0f/s; reconnects: %d; refused: %d)%n",
                count, readyCount, seconds, readyCount / seconds, reconnects.get(), failed.get());
        client.close();
        return all;
    }

    /**
     * Opens one learner's stream and, like a browser's EventSource, opens it again when the server
     * ends it before 'ready' (a stream told to come back, with {@code retry:}, when the server is
     * busy) or answers 503: after the retry the server gave (Retry-After or {@code retry:}), else 1 s.
     */
    record Opener(
            Vertx vertx,
            HttpClient client,
            String host,
            int port,
            long course,
            List<String> tokens,
            long[] arrival,
            CountDownLatch ready,
            CountDownLatch received,
            AtomicInteger failed,
            AtomicInteger reconnects,
            boolean[][] flags) {
        void open(int index) {
            String token = tokens.get(index);
            client.request(HttpMethod.GET, port, host, "/api/v1/me/courses/" + course + "/stream")
                    .compose(req -> req.putHeader("Authorization", "Bearer " + token)
                            .putHeader("Accept", "text/event-stream")
                            .send())
                    .onSuccess(resp -> {
                        if (resp.statusCode() == 503) {
                            String after = resp.getHeader("Retry-After");
                            again(index, after == null ? 1000 : Long.parseLong(after.trim()) * 1000);
                            return;
                        }
                        if (resp.statusCode() != 200) {
                            failed.incrementAndGet();
                            return;
                        }
                        StringBuilder tail = new StringBuilder();
                        boolean[] seen = flags[index] != null ? flags[index] : new boolean[3];
                        flags[index] = seen;
                        long[] retryMs = {1000};
                        resp.handler((Buffer chunk) -> {
                            tail.append(chunk.toString(StandardCharsets.UTF_8));
                            String text = tail.toString();
                            if (!seen[2] && text.contains("event:lesson")) {
                                seen[2] = true;
                            }
                            if (!seen[0] && text.contains("event:ready")) {
                                seen[0] = true;
                                ready.countDown();
                            }
                            if (!seen[1] && text.contains("event:announcement")) {
                                seen[1] = true;
                                arrival[index] = System.nanoTime();
                                received.countDown();
                            }
                            int retry = text.lastIndexOf("retry:");
                            if (retry >= 0) {
                                int end = text.indexOf('\n', retry);
                                if (end > 0) {
                                    retryMs[0] = Long.parseLong(
                                            text.substring(retry + 6, end).trim());
                                }
                            }
                            if (tail.length() > 256) {
                                tail.delete(0, tail.length() - 64);
                            }
                        });
                        resp.endHandler(v -> {
                            if (!seen[0]) {
                                again(index, retryMs[0]);
                            }
                        });
                    })
                    .onFailure(e -> again(index, 1000));
        }

        private void again(int index, long delayMs) {
            reconnects.incrementAndGet();
            vertx.setTimer(Math.max(1, delayMs), t -> open(index));
        }
    }

    static boolean awaitCount(CountDownLatch latch, long allowedMissing, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (latch.getCount() > allowedMissing && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return latch.getCount() == 0;
    }
}
