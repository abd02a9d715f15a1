import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Load generator for heartbeats (run as its own process by heartbeats.sh and heartbeat-crash.sh).
 *
 * Modes:
 *   closed  PORT TOKENS LESSON CONNECTIONS SECONDS [acks-file]
 *       CONNECTIONS connections each send back to back; learners are split between connections so
 *       one learner never has two heartbeats in flight (their seq order is kept).
 *   open    PORT TOKENS LESSON RATE SECONDS [acks-file]
 *       RATE heartbeats/s on a fixed schedule whatever the answers (open model); latency counts
 *       from the scheduled time, so a stall shows up in the percentiles instead of slowing the load.
 *       With POISONER=1 in the environment, the last learner of TOKENS is left out of the schedule and
 *       instead sends malformed heartbeats back to back on one connection for the whole run (NUL in
 *       the session id, sentAt in year 9999 then 0001, seq out of range, an overlong session id, a
 *       position past the video): the honest learners' answers must not change.
 *   health  PORT CONNECTIONS SECONDS
 *       GET /q/health/live back to back: the ceiling of this server and this tool.
 *
 * TOKENS holds "learnerId token" lines prepared beforehand (loadtests/tokens/BenchTokens.java). Every 2xx is counted per
 * learner, and repeats (duplicate=true) separately, so the stored state can be compared with what
 * was acknowledged: acks-file gets "learnerId acked" lines.
 */
public class HeartbeatBench {
    static final String HOST = "127.0.0.1";
    static Vertx vertx;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int port = Integer.parseInt(args[1]);
        vertx = Vertx.vertx();
        if (mode.equals("health")) {
            health(vertx, port, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            System.exit(0);
        }
        List<String[]> lines = Files.readAllLines(Path.of(args[2])).stream()
                .filter(l -> !l.isBlank())
                .map(l -> l.trim().split(" ", 2))
                .toList();
        long lesson = Long.parseLong(args[3]);
        long[] learners = lines.stream().mapToLong(l -> Long.parseLong(l[0])).toArray();
        Fleet fleet = new Fleet(lines.stream().map(l -> l[1]).toArray(String[]::new), lesson, learners);
        int load = Integer.parseInt(args[4]);
        int seconds = Integer.parseInt(args[5]);
        boolean poisoner = "1".equals(System.getenv("POISONER")) && mode.equals("open");
        Fleet honest = poisoner ? fleet.withoutLast() : fleet;
        Stats poison = new Stats();
        if (poisoner) {
            poison.started = System.nanoTime();
            poisonLoop(
                    vertx.createHttpClient(
                            new HttpClientOptions().setMaxPoolSize(1).setKeepAlive(true)),
                    port,
                    fleet,
                    poison,
                    0);
        }
        Stats stats = mode.equals("closed")
                ? closed(vertx, port, honest, load, seconds)
                : open(vertx, port, honest, load, seconds);
        if (poisoner) {
            stopPoison = true;
            poison.ended = System.nanoTime();
            System.out.printf(
                    "poisoner (learner %d): %d malformed heartbeats sent, answers by status %s, 2xx %d, transport errors %d%n",
                    fleet.ids[fleet.ids.length - 1],
                    poison.recorded.get(),
                    poison.byStatus,
                    poison.ok.get(),
                    poison.failed.get());
        }
        stats.print(mode.equals("closed") ? "closed, " + load + " connections" : "open, " + load + "/s scheduled");
        if (args.length > 6) {
            try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[6])))) {
                for (int i = 0; i < honest.ids.length; i++) {
                    out.println(honest.ids[i] + " " + honest.acked.get(i));
                }
            }
        }
        System.exit(0);
    }

    static volatile boolean stopPoison;

    /** Malformed heartbeats of one learner, back to back, until the measured run ends. */
    static void poisonLoop(HttpClient client, int port, Fleet fleet, Stats stats, int n) {
        if (stopPoison) {
            return;
        }
        int i = fleet.ids.length - 1;
        String now = Instant.now().toString();
        String[] bodies = {
            "{\"lessonId\":" + fleet.lesson
                    + ",\"sessionId\":\"p\\u0000x\",\"seq\":1,\"positionSec\":0,\"playing\":true,\"sentAt\":\"" + now
                    + "\"}",
            "{\"lessonId\":" + fleet.lesson + ",\"sessionId\":\"far\",\"seq\":" + (2 * n + 1)
                    + ",\"positionSec\":0,\"playing\":true,\"sentAt\":\"9999-12-31T23:59:59Z\"}",
            "{\"lessonId\":" + fleet.lesson + ",\"sessionId\":\"far\",\"seq\":" + (2 * n + 2)
                    + ",\"positionSec\":0,\"playing\":true,\"sentAt\":\"0001-01-01T00:00:00Z\"}",
            "{\"lessonId\":" + fleet.lesson
                    + ",\"sessionId\":\"big\",\"seq\":9223372036854775807,\"positionSec\":0,\"playing\":true,\"sentAt\":\""
                    + now + "\"}",
            "{\"lessonId\":" + fleet.lesson + ",\"sessionId\":\"" + "x".repeat(70)
                    + "\",\"seq\":1,\"positionSec\":0,\"playing\":true,\"sentAt\":\"" + now + "\"}",
            "{\"lessonId\":" + fleet.lesson + ",\"sessionId\":\"pos\",\"seq\":" + (n + 1)
                    + ",\"positionSec\":100000,\"playing\":true,\"sentAt\":\"" + now + "\"}"
        };
        post(
                client,
                fleet.request(port, i),
                Buffer.buffer(bodies[n % bodies.length]),
                stats,
                System.nanoTime(),
                null,
                () -> poisonLoop(client, port, fleet, stats, n + 1));
    }

    /** The learners: their tokens, and each one's player session (seq, position). */
    static final class Fleet {
        final long lesson;
        final long[] ids;
        final String[] tokens;
        final long[] seq;
        final double[] position;
        final long[] lastSentMs;
        final AtomicLongArray acked;
        final String session = "bench-" + Long.toString(System.currentTimeMillis(), 36);

        /** All but the last learner (who poisons), with their own counters. */
        Fleet withoutLast() {
            return new Fleet(Arrays.copyOf(tokens, tokens.length - 1), lesson, Arrays.copyOf(ids, ids.length - 1));
        }

        Fleet(String[] tokens, long lesson, long[] ids) {
            this.lesson = lesson;
            this.ids = ids;
            this.tokens = tokens;
            this.seq = new long[ids.length];
            this.position = new double[ids.length];
            this.lastSentMs = new long[ids.length];
            this.acked = new AtomicLongArray(ids.length);
        }

        /** The next heartbeat of learner i: the player has played for as long as really passed. */
        synchronized Buffer next(int i) {
            long now = System.currentTimeMillis();
            if (lastSentMs[i] > 0) {
                // Wraps within the demo's shortest video (240 s): positions past a video's end are refused.
                position[i] = (position[i] + (now - lastSentMs[i]) / 1000.0) % 230;
            }
            lastSentMs[i] = now;
            seq[i]++;
            return Buffer.buffer("{\"lessonId\":" + lesson + ",\"sessionId\":\"" + session + "\",\"seq\":" + seq[i]
                    + ",\"positionSec\":" + String.format("%.3f", position[i]) + ",\"playing\":true,\"sentAt\":\""
                    + Instant.ofEpochMilli(now) + "\"}");
        }

        RequestOptions request(int port, int i) {
            return new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setHost(HOST)
                    .setPort(port)
                    .setURI("/api/v1/me/heartbeats")
                    .putHeader("Authorization", "Bearer " + tokens[i])
                    .putHeader("X-Device-Id", "bench-device-" + ids[i])
                    .putHeader("Content-Type", "application/json");
        }
    }

    static final class Stats {
        final AtomicLong ok = new AtomicLong();
        final AtomicLong repeats = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final java.util.Map<Integer, AtomicLong> byStatus = new java.util.concurrent.ConcurrentHashMap<>();
        final long[] latencies = new long[4_000_000];
        final AtomicLong recorded = new AtomicLong();
        long started;
        long ended;

        void record(long nanos) {
            long n = recorded.getAndIncrement();
            if (n < latencies.length) {
                latencies[(int) n] = nanos;
            }
        }

        void print(String what) {
            double secs = (ended - started) / 1e9;
            long n = Math.min(recorded.get(), latencies.length);
            long[] sorted = Arrays.copyOf(latencies, (int) n);
            Arrays.sort(sorted);
            System.out.printf(
                    "%s: %d answered 2xx in %.1f s = %.0f/s; repeats %d; non-2xx %s; transport errors %d%n",
                    what, ok.get(), secs, ok.get() / secs, repeats.get(), byStatus, failed.get());
            if (n > 0) {
                System.out.printf(
                        "latency ms: p50 %.1f, p90 %.1f, p99 %.1f, max %.1f%n",
                        sorted[(int) (n / 2)] / 1e6,
                        sorted[(int) (n * 0.9)] / 1e6,
                        sorted[(int) (n * 0.99)] / 1e6,
                        sorted[(int) n - 1] / 1e6);
            }
        }
    }

    static Stats closed(Vertx vertx, int port, Fleet fleet, int connections, int seconds) throws Exception {
        if (connections > fleet.ids.length) {
            // Each connection sends for its own learners: more connections than learners cannot run.
            System.out.printf("closed model: %d connections but only %d learners%n", connections, fleet.ids.length);
            System.exit(2);
        }
        HttpClient client = vertx.createHttpClient(
                new HttpClientOptions().setMaxPoolSize(connections).setKeepAlive(true));
        Stats stats = new Stats();
        stats.started = System.nanoTime();
        long deadline = stats.started + seconds * 1_000_000_000L;
        CountDownLatch done = new CountDownLatch(connections);
        for (int c = 0; c < connections; c++) {
            int conn = c;
            vertx.runOnContext(v -> loop(client, port, fleet, stats, conn, connections, conn, deadline, done));
        }
        done.await();
        stats.ended = System.nanoTime();
        return stats;
    }

    /** One connection's loop: its own learners (i ≡ conn mod connections) in turn, one request at a time. */
    static void loop(
            HttpClient client,
            int port,
            Fleet fleet,
            Stats stats,
            int conn,
            int connections,
            int i,
            long deadline,
            CountDownLatch done) {
        if (System.nanoTime() >= deadline) {
            done.countDown();
            return;
        }
        int next = i + connections < fleet.ids.length ? i + connections : conn;
        long start = System.nanoTime();
        send(
                client,
                port,
                fleet,
                stats,
                i,
                start,
                () -> loop(client, port, fleet, stats, conn, connections, next, deadline, done));
    }

    static void send(HttpClient client, int port, Fleet fleet, Stats stats, int i, long start, Runnable after) {
        post(client, fleet.request(port, i), fleet.next(i), stats, start, () -> fleet.acked.incrementAndGet(i), after);
    }

    /** One request; 2xx answers are counted (and {@code acked} run unless the server says it was a repeat). */
    static void post(
            HttpClient client,
            RequestOptions request,
            Buffer payload,
            Stats stats,
            long start,
            Runnable acked,
            Runnable after) {
        client.request(request)
                .compose(req -> req.send(payload)
                        .compose(resp -> resp.body().map(body -> {
                            if (resp.statusCode() / 100 == 2) {
                                stats.ok.incrementAndGet();
                                if (body.toString().contains("\"duplicate\":true")) {
                                    stats.repeats.incrementAndGet();
                                } else if (acked != null) {
                                    acked.run();
                                }
                            } else {
                                stats.byStatus
                                        .computeIfAbsent(resp.statusCode(), s -> new AtomicLong())
                                        .incrementAndGet();
                            }
                            stats.record(System.nanoTime() - start);
                            return body;
                        })))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        // The server is down (the crash test kills it): back off instead of spinning.
                        stats.failed.incrementAndGet();
                        vertx.setTimer(20, t -> after.run());
                    } else {
                        after.run();
                    }
                });
    }

    static Stats open(Vertx vertx, int port, Fleet fleet, int rate, int seconds) throws Exception {
        HttpClient client = vertx.createHttpClient(
                new HttpClientOptions().setMaxPoolSize(512).setKeepAlive(true).setMaxWaitQueueSize(-1));
        // The first WARMUP_SECONDS (default 10) run at the same rate but are not measured: a fresh
        // load-generator JVM and its new connections would otherwise show up as server latency.
        int warmup = Integer.parseInt(System.getenv().getOrDefault("WARMUP_SECONDS", "10"));
        Stats warm = new Stats();
        Stats stats = new Stats();
        long warmTotal = (long) rate * warmup;
        long total = warmTotal + (long) rate * seconds;
        CountDownLatch done = new CountDownLatch((int) total);
        long t0 = System.nanoTime();
        long intervalNanos = 1_000_000_000L / rate;
        stats.started = t0 + warmTotal * intervalNanos;
        // A 1 ms tick sends every request whose scheduled time has come; latency counts from that time.
        long[] sent = {0};
        vertx.setPeriodic(1, id -> {
            long now = System.nanoTime();
            while (sent[0] < total && t0 + sent[0] * intervalNanos <= now) {
                long scheduled = t0 + sent[0] * intervalNanos;
                int i = (int) (sent[0] % fleet.ids.length);
                send(client, port, fleet, sent[0] < warmTotal ? warm : stats, i, scheduled, done::countDown);
                sent[0]++;
            }
            if (sent[0] >= total) {
                vertx.cancelTimer(id);
            }
        });
        done.await();
        stats.ended = System.nanoTime();
        return stats;
    }

    static void health(Vertx vertx, int port, int connections, int seconds) throws Exception {
        HttpClient client = vertx.createHttpClient(
                new HttpClientOptions().setMaxPoolSize(connections).setKeepAlive(true));
        Stats stats = new Stats();
        stats.started = System.nanoTime();
        long deadline = stats.started + seconds * 1_000_000_000L;
        CountDownLatch done = new CountDownLatch(connections);
        for (int c = 0; c < connections; c++) {
            vertx.runOnContext(v -> healthLoop(client, port, stats, deadline, done));
        }
        done.await();
        stats.ended = System.nanoTime();
        stats.print("health, " + connections + " connections");
    }

    static void healthLoop(HttpClient client, int port, Stats stats, long deadline, CountDownLatch done) {
        if (System.nanoTime() >= deadline) {
            done.countDown();
            return;
        }
        long start = System.nanoTime();
        client.request(HttpMethod.GET, port, HOST, "/q/health/live")
                .compose(req -> req.send()
                        .compose(resp -> resp.body().map(body -> {
                            if (resp.statusCode() == 200) {
                                stats.ok.incrementAndGet();
                            }
                            stats.record(System.nanoTime() - start);
                            return body;
                        })))
                .onComplete(ar -> healthLoop(client, port, stats, deadline, done));
    }
}
