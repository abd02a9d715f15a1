package org.phocap.platform;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.phocap.auth.JwtKeyFiles;

/**
 * The packaged application (target/quarkus-app) started as a process of its own, the way a pod
 * runs it: configured by environment only, logging to target/it-logs/{name}.log. For tests of
 * what only whole processes show: several instances on one database, SIGTERM.
 */
public final class AppProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final int port;
    private final int managementPort;
    private final Path log;

    private AppProcess(String name, Process process, int port, int managementPort, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
    }

    /**
     * Starts the packaged application against the database (null: its embedded one); {@code env} adds to (or overrides) the
     * defaults. The native binary when the build made one (-Dnative sets native.image.path), else the jar.
     */
    public static AppProcess start(String name, String dbUrl, Map<String, String> env) throws IOException {
        String nativeImage = System.getProperty("native.image.path");
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        List<String> command;
        if (nativeImage != null && Files.isExecutable(Path.of(nativeImage))) {
            command = new ArrayList<>(
                    List.of(Path.of(nativeImage).toAbsolutePath().toString(), "-Xmx256m"));
        } else if (Files.exists(jar)) {
            String java = ProcessHandle.current().info().command().orElse("java");
            command = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", jar.toString()));
        } else {
            throw new IllegalStateException("package the application first: " + jar + " is missing");
        }
        Path keys = JwtKeyFiles.ensure(Path.of("target", "test-keys").toAbsolutePath());
        Path logs = Files.createDirectories(Path.of("target", "it-logs"));
        Path log = logs.resolve(name + ".log");
        int port = freePort();
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        int managementPort = freePort();
        environment.put("PHOCAP_MANAGEMENT_PORT", String.valueOf(managementPort));
        if (dbUrl != null) {
            environment.put("PHOCAP_DB_URL", dbUrl);
            environment.put("PHOCAP_DB_USER", "postgres");
        } else {
            // No database named: the jar starts its embedded PostgreSQL in PHOCAP_DATA_DIR.
            environment.remove("PHOCAP_DB_URL");
            environment.remove("PHOCAP_DB_USER");
            environment.remove("PHOCAP_DB_PASSWORD");
        }
        environment.put("PHOCAP_DB_POOL_SIZE", "8");
        // These tests read their logs line by line as text; the production profile's JSON lines are
        // checked on their own (FirstStartIT).
        environment.put("PHOCAP_LOG_JSON", "false");
        environment.put("PHOCAP_ADMIN_PASSWORD", Api.ADMIN_PASSWORD);
        environment.put(
                "PHOCAP_DATA_DIR",
                Path.of("target", "it-data", name).toAbsolutePath().toString());
        environment.put(
                "PHOCAP_JWT_PUBLIC_KEY_LOCATION",
                keys.resolve(JwtKeyFiles.PUBLIC_KEY).toUri().toString());
        environment.put(
                "PHOCAP_JWT_PRIVATE_KEY_LOCATION",
                keys.resolve(JwtKeyFiles.PRIVATE_KEY).toUri().toString());
        environment.putAll(env);
        return new AppProcess(name, builder.start(), port, managementPort, log);
    }

    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A port free now, below the kernel's range for outgoing connections (32768 and up on Linux): a
     * port the kernel handed out (new ServerSocket(0)) could be taken again as the local port of an
     * outgoing connection, the app's own to its embedded database among them, before the app bound it
     * ("Address already in use" for the management interface, seen once in CI). Never the same port
     * twice in one test run: the HTTP and management ports of one app are both picked before it binds
     * either, and once CI drew the same one for both; Vert.x then shared it between the two servers
     * and the readiness probe's kept-alive connection stayed on the one without /q/health.
     */
    static int freePort() throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = random.nextInt(20_000, 32_000);
            if (!HANDED_OUT.add(candidate)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(candidate)) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port between 20000 and 32000");
    }

    public int port() {
        return port;
    }

    /** The management interface's port (/q/health, /q/metrics). */
    public int managementPort() {
        return managementPort;
    }

    public URL base() {
        try {
            return URI.create("http://localhost:" + port + "/").toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Waits until readiness answers UP (migrations done, database reachable). */
    public AppProcess awaitReady(Duration within) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (readiness(client) == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " not ready within " + within + ":\n" + log());
    }

    /** The readiness probe's status code, as Kubernetes sees it. */
    public int readiness(HttpClient client) throws IOException, InterruptedException {
        return client.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + "/q/health/ready"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** What Kubernetes sends a pod it stops. */
    public void sigterm() {
        process.destroy();
    }

    public boolean waitForExit(Duration within) throws InterruptedException {
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
