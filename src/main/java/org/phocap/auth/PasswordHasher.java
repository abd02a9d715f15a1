package org.phocap.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.phocap.platform.Backlog;
import org.phocap.platform.CallerContext;
import org.phocap.platform.Overload;

/**
 * bcrypt costs tens of milliseconds of CPU by design, so it runs on a few threads of its own (one
 * per core by default), never on an event loop, and the answer comes back on the caller's Vert.x
 * context (where Hibernate Reactive needs to be). At most {@code phocap.auth.max-pending-hashes}
 * wait or run: past that a sign-in, activation or PIN change is answered 503 with Retry-After at
 * once. Before, every sign-in went to the shared worker pool (200 threads): a burst of 300 at the
 * start of a wave put 200 bcrypt threads on two cores, every answer came after 20-25 s, and other
 * learners' requests that needed the database waited as long.
 */
@ApplicationScoped
public class PasswordHasher {
    /** Seconds a refused sign-in is told to wait: a few hashes' time, spread by the clients' own retries. */
    static final int RETRY_AFTER_SEC = 2;

    // A hash of a random secret, verified against when the account does not exist, so that
    // unknown usernames cost as much time as known ones.
    private final String decoy;

    private final int cost;
    private final Backlog pending;
    private final ExecutorService hashers;

    public PasswordHasher(AuthConfig authConfig, MeterRegistry metrics) {
        this.cost = authConfig.bcryptCost();
        this.pending = new Backlog(authConfig.maxPendingHashes());
        int threads = authConfig.hashThreads().orElse(Runtime.getRuntime().availableProcessors());
        AtomicInteger n = new AtomicInteger();
        this.hashers = Executors.newFixedThreadPool(Math.max(1, threads), task -> {
            Thread t = new Thread(task, "password-hash-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Gauge.builder("phocap.auth.hashes.pending", pending, Backlog::size)
                .description("Password and PIN hashes running or waiting (sign-ins, activations, PIN changes)")
                .register(metrics);
        this.decoy = BCrypt.withDefaults()
                .hashToString(cost, java.util.UUID.randomUUID().toString().toCharArray());
    }

    public Uni<String> hash(String secret) {
        return offload(() -> BCrypt.withDefaults().hashToString(cost, secret.toCharArray()));
    }

    public Uni<Boolean> verify(String secret, String hash) {
        String against = hash != null ? hash : decoy;
        return offload(() -> BCrypt.verifyer()
                        .verify(secret.getBytes(StandardCharsets.UTF_8), against.getBytes(StandardCharsets.UTF_8))
                        .verified
                && hash != null);
    }

    private <T> Uni<T> offload(Supplier<T> work) {
        return Uni.createFrom().deferred(() -> {
            if (!pending.enter()) {
                return Uni.createFrom()
                        .failure(Overload.shed(
                                "sign-in-queue",
                                "Too many sign-ins at once on this server; try again in a moment.",
                                RETRY_AFTER_SEC));
            }
            CallerContext caller = CallerContext.capture();
            return Uni.createFrom()
                    .<T>emitter(done -> hashers.execute(() -> {
                        try {
                            done.complete(work.get());
                        } catch (Throwable e) { // an Error too: the caller must get an answer
                            done.fail(e);
                        } finally {
                            pending.leave();
                        }
                    }))
                    .emitOn(caller);
        });
    }

    @PreDestroy
    void stop() {
        hashers.shutdown();
    }
}
