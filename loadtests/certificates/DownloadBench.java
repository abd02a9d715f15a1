import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Downloads every certificate PDF of SERIALS once, CONCURRENCY at a time, with one token (run as its
 * own process by certificates.sh): the lighter client beside Gatling. On two cores shared by the
 * server, PostgreSQL and the client, Gatling took about half a core at 235 PDFs/s (2.1 ms per
 * download, loadtests/RESULTS.md), so what it measured was partly itself; this client does a
 * download with one pooled Vert.x connection and a few checks.
 *
 * Usage: PORT TOKEN SERIALS CONCURRENCY
 *
 * Each answer must be 200, application/pdf, a whole PDF ("%PDF-" … "%%EOF"); anything else is
 * counted by status and the run exits 1 (a figure from a run that failed anything is not a figure).
 * The rate is downloads over the time from the first request to the last answer; latency is from
 * the request's start to its whole body.
 */
public class DownloadBench {
    static final String HOST = "127.0.0.1";

    private final HttpClient client;
    private final int port;
    private final String token;
    private final List<String> serials;
    private final long[] latencies;
    private final Map<String, AtomicLong> failures = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicInteger next = new AtomicInteger();
    private final CountDownLatch done;

    DownloadBench(HttpClient client, int port, String token, List<String> serials) {
        this.client = client;
        this.port = port;
        this.token = token;
        this.serials = serials;
        this.latencies = new long[serials.size()];
        this.done = new CountDownLatch(serials.size());
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String token = args[1];
        List<String> serials = Files.readAllLines(Path.of(args[2])).stream()
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
        if (serials.isEmpty()) {
            System.out.println("FAILED: no serials in " + args[2]);
            System.exit(1);
        }
        int concurrency = Integer.parseInt(args[3]);
        HttpClient client = Vertx.vertx()
                .createHttpClient(new HttpClientOptions()
                        .setMaxPoolSize(concurrency)
                        .setKeepAlive(true)
                        .setPipelining(false));
        System.exit(new DownloadBench(client, port, token, serials).run(concurrency) ? 0 : 1);
    }

    /** Downloads every serial once, {@code concurrency} at a time, prints the figures; true when all were whole PDFs. */
    boolean run(int concurrency) throws InterruptedException {
        long started = System.nanoTime();
        for (int c = 0; c < Math.min(concurrency, serials.size()); c++) {
            fetch();
        }
        if (!done.await(30, TimeUnit.MINUTES)) {
            System.out.println("FAILED: " + done.getCount() + " downloads still unanswered after 30 minutes");
            return false;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        long failed = failures.values().stream().mapToLong(AtomicLong::get).sum();
        System.out.printf(
                "downloads: %d in %.2f s: %.1f/s; latency ms p50 %.1f p95 %.1f p99 %.1f max %.1f; average PDF %d bytes; failed %d %s%n",
                n,
                seconds,
                n / seconds,
                ms(sorted, 0.50),
                ms(sorted, 0.95),
                ms(sorted, 0.99),
                sorted[n - 1] / 1e6,
                n == failed ? 0 : bytes.get() / (n - failed),
                failed,
                new TreeMap<>(failures));
        return failures.isEmpty();
    }

    static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    /** The next serial's download; when it is answered, the one after it (one chain per connection). */
    private void fetch() {
        int i = next.getAndIncrement();
        if (i >= serials.size()) {
            return;
        }
        long t0 = System.nanoTime();
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(HOST)
                .setPort(port)
                .setURI("/api/v1/certificates/" + serials.get(i) + ".pdf")
                .putHeader("Authorization", "Bearer " + token);
        client.request(request)
                .compose(req -> req.send())
                .compose(response -> response.body().map(body -> check(response, body)))
                .onComplete(result -> {
                    latencies[i] = System.nanoTime() - t0;
                    String failure = result.succeeded()
                            ? result.result()
                            : result.cause().getClass().getSimpleName();
                    if (failure != null) {
                        failures.computeIfAbsent(failure, k -> new AtomicLong()).incrementAndGet();
                    }
                    done.countDown();
                    fetch();
                });
    }

    /** Null when the answer is a whole PDF (its size counted), else what was wrong with it. */
    private String check(HttpClientResponse response, Buffer body) {
        if (response.statusCode() != 200) {
            return "status " + response.statusCode();
        }
        String type = response.getHeader("Content-Type");
        if (type == null || !type.startsWith("application/pdf")) {
            return "type " + type;
        }
        String head = body.getString(0, Math.min(5, body.length()), StandardCharsets.ISO_8859_1.name());
        String tail = body.getString(Math.max(0, body.length() - 8), body.length(), StandardCharsets.ISO_8859_1.name());
        if (!head.equals("%PDF-") || !tail.contains("%%EOF")) {
            return "not a whole PDF";
        }
        bytes.addAndGet(body.length());
        return null;
    }
}
