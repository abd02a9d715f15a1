package org.phocap.staff;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.phocap.auth.StaffCredentials;
import org.phocap.auth.Subject;

/** Signing in reads staff accounts through this: the staff feature owns them. */
@ApplicationScoped
public class StaffAccountCredentials implements StaffCredentials {

    @Override
    public Uni<Optional<Credential>> byUsername(String username) {
        return Panache.withSession(() -> StaffAccount.findByUsername(username))
                .map(staff -> Optional.ofNullable(staff)
                        .map(s -> new Credential(subject(s), s.passwordHash, s.passwordGeneratedAt != null)));
    }

    @Override
    public Uni<Optional<Subject>> byId(long id) {
        return Panache.withSession(() -> StaffAccount.<StaffAccount>findById(id))
                .map(staff -> Optional.ofNullable(staff).map(StaffAccountCredentials::subject));
    }

    @Override
    public Uni<Void> generatedPasswordUsed(long id) {
        return StaffAccount.update("passwordGeneratedAt = null where id = ?1", id)
                .replaceWithVoid();
    }

    static Subject subject(StaffAccount staff) {
        return new Subject(Subject.Kind.STAFF, staff.id, staff.username, staff.role, List.of(staff.scope));
    }
}
