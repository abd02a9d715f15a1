package org.phocap.staff;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.phocap.auth.AuthConfig;
import org.phocap.auth.PasswordHasher;
import org.phocap.auth.Role;
import org.phocap.auth.SigningKey;
import org.phocap.locality.Scope;

/**
 * On first start, creates the one ADMIN whose scope is the whole tree. The signing keys are
 * checked before (a {@link SigningKey} parameter: it is read and matched with the public key
 * first), so a start that lacks them stops before anything is created. A generated password is
 * printed; until it has been used to sign in once, every later start prints a fresh one, so a
 * first start that failed after printing (or whose log was lost) never locks the operator out.
 */
@Singleton
public class AdminBootstrap {
    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);
    /** Advisory lock key of the first-start ADMIN creation (any constant unique to this use). */
    private static final long BOOTSTRAP_LOCK = 7_261_001L;

    void onStart(
            @Observes @Priority(10) StartupEvent event,
            PasswordHasher hasher,
            SigningKey keysChecked,
            AuthConfig authConfig)
            throws Throwable {
        String username = authConfig.adminUsername();
        Optional<String> configured = authConfig.adminPassword();
        Duration reprintAfter = authConfig.adminReprintAfter();
        boolean generated = configured.isEmpty() || configured.get().isBlank();
        // Most starts find the ADMIN in place: one read, and no password hashed (bcrypt costs ~0.1 s).
        Instant reprintBefore = Instant.now().minus(reprintAfter);
        boolean passwordNeeded =
                VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> StaffAccount.count()
                        .flatMap(count -> count == 0
                                ? Uni.createFrom().item(true)
                                : !generated
                                        ? Uni.createFrom().item(false)
                                        : StaffAccount.count("passwordGeneratedAt < ?1", reprintBefore)
                                                .map(pending -> pending > 0))));
        if (!passwordNeeded) {
            return;
        }
        String password = generated ? randomPassword() : configured.get();
        String hash = VertxContextSupport.subscribeAndAwait(() -> hasher.hash(password));
        // Pods of a new deployment start together on an empty database: a transaction-scoped
        // advisory lock lets one of them create the ADMIN and the others find it, instead of
        // failing on the unique username.
        Outcome outcome = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Panache.getSession()
                .flatMap(session -> session.createNativeQuery(
                                "SELECT count(*) FROM (SELECT pg_advisory_xact_lock(" + BOOTSTRAP_LOCK + ")) l",
                                Long.class)
                        .getSingleResult())
                .flatMap(locked -> StaffAccount.count())
                .flatMap(count ->
                        count == 0 ? create(username, hash, generated) : reprint(hash, generated, reprintBefore))));
        switch (outcome) {
            case CREATED ->
                LOG.infof(
                        generated
                                ? "Created ADMIN '%s' with generated password: %s (set PHOCAP_ADMIN_PASSWORD to choose one)"
                                : "Created ADMIN '%s' with the configured password",
                        username,
                        password);
            case REPRINTED ->
                LOG.infof(
                        "The ADMIN's generated password was never used to sign in; its new password is: %s"
                                + " (printed at each start until the first sign-in)",
                        password);
            case UNCHANGED -> {}
        }
    }

    private enum Outcome {
        CREATED,
        REPRINTED,
        UNCHANGED
    }

    private static Uni<Outcome> create(String username, String hash, boolean generated) {
        StaffAccount admin = new StaffAccount();
        admin.username = username;
        admin.passwordHash = hash;
        admin.role = Role.ADMIN;
        admin.scope = new String[] {Scope.WHOLE_TREE};
        admin.fullName = "Administrator";
        admin.passwordGeneratedAt = generated ? Instant.now() : null;
        return admin.persist().replaceWith(Outcome.CREATED);
    }

    /** A generated password not yet used: replaced and printed again (not when one was configured meanwhile). */
    private static Uni<Outcome> reprint(String hash, boolean generated, Instant reprintBefore) {
        if (!generated) {
            return Uni.createFrom().item(Outcome.UNCHANGED);
        }
        return StaffAccount.update(
                        "passwordHash = ?1, passwordGeneratedAt = ?2 where passwordGeneratedAt < ?3",
                        hash,
                        Instant.now(),
                        reprintBefore)
                .map(updated -> updated > 0 ? Outcome.REPRINTED : Outcome.UNCHANGED);
    }

    private static String randomPassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
