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

    void onStart(@Observes @jakarta.annotation.Priority(10) StartupEvent event, PasswordHasher hasher,
                 @ConfigProperty(name = "phocap.auth.admin-username") String username,
                 @ConfigProperty(name = "phocap.auth.admin-password") java.util.Optional<String> configured) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> StaffAccount.count())
                .flatMap(count -> {
                    if (count > 0) {
                        return io.smallrye.mutiny.Uni.createFrom().voidItem();
                    }
                    boolean generated = configured.isEmpty() || configured.get().isBlank();
                    String password = generated ? randomPassword() : configured.get();
                    return hasher.hash(password).flatMap(hash -> Panache.withTransaction(() -> {
                        StaffAccount admin = new StaffAccount();
                        admin.username = username;
                        admin.passwordHash = hash;
                        admin.role = Role.ADMIN;
                        admin.scope = new String[] {Scope.WHOLE_TREE};
                        admin.fullName = "Administrator";
                        return admin.persist();
                    })).invoke(() -> {
                        if (generated) {
                            // The contract: a generated password is shown once, here, and never again.
                            LOG.infof("Created ADMIN '%s' with generated password: %s (set PHOCAP_ADMIN_PASSWORD to choose one)",
                                    username, password);
                        } else {
                            LOG.infof("Created ADMIN '%s' with the configured password", username);
                        }
                    }).replaceWithVoid();
                }));
    }

    private static String randomPassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
