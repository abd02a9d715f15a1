import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays a wave of honest learners with planted cheaters against a running phocap (see
 * loadtests/cheaters.sh), then reads the campaign's integrity flags as the admin and scores them
 * per kind against what was planted: precision (flagged learners that were planted for the kind)
 * and recall (planted learners that were flagged). Passes only with recall 100 % for every kind,
 * no honest learner flagged, no completion for the replay scripts, and every honest learner's
 * certificate issued.
 *
 * Usage: java CheaterRehearsal.java BASE_URL TOKENS_FILE LESSON_IDS QUIZ_ID CAMPAIGN_ID ADMIN_PASSWORD SUMMARY_OUT
 *   TOKENS_FILE: "learnerId token" lines; LESSON_IDS: comma-separated, in order
 */
public class CheaterRehearsal {
    enum Role {
        HONEST,
        SHARED,
        REPLAY,
        TWO_PHONE,
        SPEED_CLICK
    }

    enum Kind {
        SHARED_DEVICE,
        CONCURRENT_DEVICES,
        IMPLAUSIBLE_PACE,
        FAST_QUIZ
    }

    /** Which kinds each role plants. */
    static final Map<Role, Set<Kind>> PLANTS = Map.of(
            Role.HONEST, EnumSet.noneOf(Kind.class),
            Role.SHARED, EnumSet.of(Kind.SHARED_DEVICE),
            Role.REPLAY, EnumSet.of(Kind.IMPLAUSIBLE_PACE, Kind.FAST_QUIZ),
            Role.TWO_PHONE, EnumSet.of(Kind.CONCURRENT_DEVICES),
            Role.SPEED_CLICK, EnumSet.of(Kind.FAST_QUIZ));

    static final int LESSON_SEC = 20;
    static final int HEARTBEAT_EVERY_SEC = 5;
    static final int QUESTIONS = 5;

    record Learner(int index, long id, String token, Role role, String device, boolean offlineLesson) {}

    static String base;
    static List<Long> lessons;
    static long quiz;
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static final AtomicLong requests = new AtomicLong();
    static final AtomicLong errors = new AtomicLong();
    static final AtomicLong refusals = new AtomicLong();
    static final Map<String, AtomicLong> errorKinds = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        base = args[0];
        List<String> lines = Files.readAllLines(Path.of(args[1])).stream()
                .filter(l -> !l.isBlank())
                .toList();
        lessons = Arrays.stream(args[2].split(",")).map(Long::parseLong).toList();
        quiz = Long.parseLong(args[3]);
        long campaign = Long.parseLong(args[4]);
        String adminPassword = args[5];
        Path summary = Path.of(args[6]);

        List<Learner> learners = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String[] parts = lines.get(i).split(" ");
            Role role = i < 50
                    ? Role.SHARED
                    : i < 70 ? Role.REPLAY : i < 90 ? Role.TWO_PHONE : i < 110 ? Role.SPEED_CLICK : Role.HONEST;
            String device = switch (role) {
                case SHARED -> "helper-phone-" + (i / 5); // five learners a device
                default -> i >= 200 && i < 400 ? "couple-phone-" + (i / 2) : "own-phone-" + i; // 100 couples share one
            };
            learners.add(new Learner(
                    i, Long.parseLong(parts[0]), parts[1], role, device, role == Role.HONEST && i % 10 == 3));
        }
        Map<Role, Integer> counts = new TreeMap<>();
        learners.forEach(l -> counts.merge(l.role(), 1, Integer::sum));
        System.out.println("learners " + learners.size() + ": " + counts);

        Instant started = Instant.now();
        CountDownLatch done = new CountDownLatch(learners.size());
        Map<Long, String> failures = new ConcurrentHashMap<>();
        Random random = new Random(20);
        for (Learner l : learners) {
            long delayMs = random.nextInt(30_000);
            Thread t = new Thread(
                    () -> {
                        try {
                            Thread.sleep(delayMs);
                            play(l);
                        } catch (Exception e) {
                            failures.put(l.id(), l.role() + ": " + e.getMessage());
                        } finally {
                            done.countDown();
                        }
                    },
                    "learner-" + l.index());
            t.setDaemon(true);
            t.start();
        }
        done.await();
        Duration took = Duration.between(started, Instant.now());
        System.out.printf(
                "played in %d s: %d requests, %d unexpected answers %s, %d concurrent-session refusals (planted), %d learners failed%n",
                took.toSeconds(), requests.get(), errors.get(), errorKinds, refusals.get(), failures.size());
        failures.entrySet().stream()
                .limit(10)
                .forEach(e -> System.out.println("  failed: learner " + e.getKey() + " " + e.getValue()));
        // Signs from heartbeats are stored just after the answers: give them a moment.
        Thread.sleep(5_000);

        String admin = login(adminPassword);
        Map<Kind, Set<Long>> flagged = new java.util.EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            flagged.put(k, new HashSet<>());
        }
        int page = 0;
        int total;
        do {
            String body = get("/api/v1/campaigns/" + campaign + "/integrity-flags?size=500&page=" + page, admin);
            total = Integer.parseInt(field(body, "\"total\":(\\d+)"));
            Matcher m = Pattern.compile("\"learnerId\":(\\d+),.*?\"kind\":\"([A-Z_]+)\"")
                    .matcher(body);
            while (m.find()) {
                flagged.get(Kind.valueOf(m.group(2))).add(Long.parseLong(m.group(1)));
            }
            page++;
        } while (page * 500 < total);

        StringBuilder out = new StringBuilder();
        out.append(String.format(
                "%d learners: %s. Played in %d s; %d requests, %d unexpected answers.%n%n",
                learners.size(), counts, took.toSeconds(), requests.get(), errors.get()));
        out.append(
                "| kind | planted | flagged | flagged and planted | precision | recall |\n|---|---|---|---|---|---|\n");
        boolean pass = failures.isEmpty() && errors.get() == 0;
        Set<Long> honest = new HashSet<>();
        learners.stream().filter(l -> l.role() == Role.HONEST).forEach(l -> honest.add(l.id()));
        Set<Long> honestFlagged = new HashSet<>();
        for (Kind k : Kind.values()) {
            Set<Long> planted = new HashSet<>();
            learners.stream().filter(l -> PLANTS.get(l.role()).contains(k)).forEach(l -> planted.add(l.id()));
            Set<Long> hit = new HashSet<>(flagged.get(k));
            hit.retainAll(planted);
            double precision = flagged.get(k).isEmpty()
                    ? 1
                    : (double) hit.size() / flagged.get(k).size();
            double recall = planted.isEmpty() ? 1 : (double) hit.size() / planted.size();
            out.append(String.format(
                    "| %s | %d | %d | %d | %.1f %% | %.1f %% |%n",
                    k, planted.size(), flagged.get(k).size(), hit.size(), precision * 100, recall * 100));
            pass &= recall == 1.0;
            flagged.get(k).stream().filter(honest::contains).forEach(honestFlagged::add);
        }
        pass &= honestFlagged.isEmpty();

        // Outcomes: honest learners hold an issued certificate; replay scripts have no completion at all.
        int honestIssued = 0;
        int replayCompleted = 0;
        for (Learner l : learners) {
            if (l.role() == Role.HONEST || l.role() == Role.REPLAY) {
                String certificates = get("/api/v1/me/certificates", l.token());
                if (l.role() == Role.HONEST && certificates.contains("\"status\":\"ISSUED\"")) {
                    honestIssued++;
                }
                if (l.role() == Role.REPLAY && certificates.contains("\"courseId\"")) {
                    replayCompleted++;
                }
            }
        }
        pass &= honestIssued == honest.size() && replayCompleted == 0;
        out.append(String.format(
                "%nHonest learners flagged (any kind): %d of %d (including %d studying a lesson offline and "
                        + "200 in couples sharing a phone). Honest learners with their certificate issued: %d of %d. Replay scripts "
                        + "with a completion or certificate (issued or held): %d of %d. Planted two-phone refusals: %d.%n",
                honestFlagged.size(),
                honest.size(),
                learners.stream().filter(Learner::offlineLesson).count(),
                honestIssued,
                honest.size(),
                replayCompleted,
                counts.getOrDefault(Role.REPLAY, 0),
                refusals.get()));
        Files.writeString(summary, out.toString());
        System.out.print(out);
        System.out.println(pass ? "PASSED" : "FAILED");
        System.exit(pass ? 0 : 1);
    }

    static void play(Learner l) throws Exception {
        switch (l.role()) {
            case REPLAY -> {
                for (long lesson : lessons) {
                    // Invented: the lesson's time, 4 s apart, all in the past, sent at once.
                    Instant now = Instant.now();
                    StringBuilder items = new StringBuilder("[");
                    for (int i = 0; i <= LESSON_SEC / 4; i++) {
                        items.append(i == 0 ? "" : ",")
                                .append(heartbeat(
                                        lesson,
                                        "script-" + lesson,
                                        i + 1,
                                        true,
                                        now.minusSeconds(LESSON_SEC + 5 - 4L * i)));
                    }
                    post(
                            "/api/v1/me/heartbeats:batch",
                            l.token(),
                            l.device(),
                            items.append(']').toString(),
                            200);
                }
                takeQuiz(l, 0);
            }
            case TWO_PHONE -> {
                Thread second = new Thread(() -> {
                    try {
                        for (int i = 1; i <= 4; i++) {
                            Thread.sleep(7_000);
                            int status = post(
                                    "/api/v1/me/heartbeats",
                                    l.token(),
                                    "second-phone-" + l.index(),
                                    heartbeat(lessons.get(0), "p2-" + l.index(), i, true, Instant.now()),
                                    -1);
                            if (status == 409) {
                                refusals.incrementAndGet();
                            }
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                });
                second.setDaemon(true);
                second.start();
                studyAll(l);
                second.join();
                takeQuiz(l, 4 * QUESTIONS);
            }
            case SPEED_CLICK -> {
                studyAll(l);
                takeQuiz(l, 0);
            }
            default -> {
                studyAll(l);
                takeQuiz(l, 4 * QUESTIONS);
            }
        }
    }

    static void studyAll(Learner l) throws Exception {
        for (int k = 0; k < lessons.size(); k++) {
            long lesson = lessons.get(k);
            if (l.offlineLesson() && k == 1) {
                // Heard once, then the lesson studied without a network, replayed when back online.
                post(
                        "/api/v1/me/heartbeats",
                        l.token(),
                        l.device(),
                        heartbeat(lesson, "on-" + lesson, 1, false, Instant.now()),
                        200);
                Instant from = Instant.now();
                Thread.sleep((LESSON_SEC + 2) * 1000L);
                StringBuilder items = new StringBuilder("[");
                for (int i = 0; i <= LESSON_SEC / 4; i++) {
                    items.append(i == 0 ? "" : ",")
                            .append(heartbeat(lesson, "off-" + lesson, i + 1, true, from.plusSeconds(1 + 4L * i)));
                }
                post(
                        "/api/v1/me/heartbeats:batch",
                        l.token(),
                        l.device(),
                        items.append(']').toString(),
                        200);
                continue;
            }
            String session = "live-" + lesson;
            for (int seq = 1; seq <= LESSON_SEC / HEARTBEAT_EVERY_SEC + 2; seq++) {
                post(
                        "/api/v1/me/heartbeats",
                        l.token(),
                        l.device(),
                        heartbeat(lesson, session, seq, true, Instant.now()),
                        200);
                Thread.sleep(HEARTBEAT_EVERY_SEC * 1000L);
            }
        }
    }

    static void takeQuiz(Learner l, int thinkSec) throws Exception {
        String attempt = postBody("/api/v1/me/quizzes/" + quiz + "/attempts", l.token(), "");
        String attemptId = field(attempt, "\"attemptId\":(\\d+)");
        Matcher m = Pattern.compile("\"id\":\"([^\"]+)\",\"text\"").matcher(attempt);
        StringBuilder answers = new StringBuilder("{\"answers\":{");
        boolean first = true;
        while (m.find()) {
            answers.append(first ? "" : ",").append('"').append(m.group(1)).append("\":[\"T\"]");
            first = false;
        }
        Thread.sleep(thinkSec * 1000L);
        String result = postBody(
                "/api/v1/me/attempts/" + attemptId + "/submit",
                l.token(),
                answers.append("}}").toString());
        if (!result.contains("\"passed\":true")) {
            throw new IllegalStateException("quiz not passed: " + result);
        }
    }

    static String heartbeat(long lesson, String session, long seq, boolean playing, Instant sentAt) {
        return "{\"lessonId\":" + lesson + ",\"sessionId\":\"" + session + "\",\"seq\":" + seq
                + ",\"positionSec\":0,\"playing\":" + playing + ",\"sentAt\":\"" + sentAt + "\"}";
    }

    /** Posts; an answer other than {@code expected} (unless -1) counts as unexpected. Retries 503s after Retry-After. */
    static int post(String path, String token, String device, String body, int expected) throws Exception {
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + token)
                    .header("X-Device-Id", device)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build());
            if (r.statusCode() == 503 && attempt < 5) {
                Thread.sleep(1000L
                        * Integer.parseInt(r.headers().firstValue("Retry-After").orElse("1")));
                continue;
            }
            if (expected != -1 && r.statusCode() != expected) {
                unexpected(path, r);
            }
            return r.statusCode();
        }
    }

    static String postBody(String path, String token, String body) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
        if (r.statusCode() / 100 != 2) {
            unexpected(path, r);
            throw new IllegalStateException(path + " answered " + r.statusCode());
        }
        return r.body();
    }

    static String get(String path, String token) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build());
        if (r.statusCode() != 200) {
            unexpected(path, r);
            throw new IllegalStateException(path + " answered " + r.statusCode());
        }
        return r.body();
    }

    static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        requests.incrementAndGet();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static void unexpected(String path, HttpResponse<String> r) {
        errors.incrementAndGet();
        errorKinds
                .computeIfAbsent(path.replaceAll("\\d+", "{id}") + " " + r.statusCode(), k -> new AtomicLong())
                .incrementAndGet();
    }

    static String login(String password) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + password + "\"}"))
                .build());
        return field(r.body(), "\"accessToken\":\"([^\"]+)\"");
    }

    static String field(String body, String regex) {
        Matcher m = Pattern.compile(regex).matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no " + regex + " in " + body.substring(0, Math.min(200, body.length())));
        }
        return m.group(1);
    }
}
