package org.phocap.auth;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.util.Base64;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.phocap.locality.Scope;
import org.phocap.staff.StaffAccount;

/** On first start, creates the one ADMIN whose scope is the whole tree. */
@Singleton
public class AdminBootstrap {
    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);
    /** Advisory lock key of the first-start ADMIN creation (any constant unique to this use). */
    private static final long BOOTSTRAP_LOCK = 7_261_001L;

    void onStart(@Observes @jakarta.annotation.Priority(10) StartupEvent event, PasswordHasher hasher,
                 @ConfigProperty(name = "phocap.auth.admin-username") String username,
                 @ConfigProperty(name = "phocap.auth.admin-password") java.util.Optional<String> configured) throws Throwable {
        if (VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> StaffAccount.count())) > 0) {
            return;
        }
        boolean generated = configured.isEmpty() || configured.get().isBlank();
        String password = generated ? randomPassword() : configured.get();
        // Pods of a new deployment start together on an empty database: a transaction-scoped
        // advisory lock lets one of them create the ADMIN and the others find it, instead of
        // failing on the unique username.
        boolean created = VertxContextSupport.subscribeAndAwait(() -> hasher.hash(password).flatMap(hash ->
                Panache.withTransaction(() -> Panache.getSession()
                        .flatMap(session -> session.createNativeQuery(
                                        "SELECT count(*) FROM (SELECT pg_advisory_xact_lock(" + BOOTSTRAP_LOCK + ")) l", Long.class)
                                .getSingleResult())
                        .flatMap(locked -> StaffAccount.count())
                        .flatMap(count -> {
                            if (count > 0) {
                                return io.smallrye.mutiny.Uni.createFrom().item(false);
                            }
                            StaffAccount admin = new StaffAccount();
                            admin.username = username;
                            admin.passwordHash = hash;
                            admin.role = Role.ADMIN;
                            admin.scope = new String[] {Scope.WHOLE_TREE};
                            admin.fullName = "Administrator";
                            return admin.persist().replaceWith(true);
                        }))));
        if (created && generated) {
            // The contract: a generated password is shown once, here, and never again.
            LOG.infof("Created ADMIN '%s' with generated password: %s (set PHOCAP_ADMIN_PASSWORD to choose one)",
                    username, password);
        } else if (created) {
            LOG.infof("Created ADMIN '%s' with the configured password", username);
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
