package org.phocap.staff;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.phocap.auth.PasswordHasher;
import org.phocap.auth.Role;
import org.phocap.locality.Scope;
import org.phocap.platform.PhoneNumbers;
import org.phocap.platform.ProblemException;

@ApplicationScoped
public class StaffService {
    private final PasswordHasher hasher;
    private final Pool pool;

    public StaffService(PasswordHasher hasher, Pool pool) {
        this.hasher = hasher;
        this.pool = pool;
    }

    public Uni<StaffDto> create(CreateStaffRequest request, Scope callerScope) {
        if (PhoneNumbers.normalize(request.username()).isPresent()) {
            // Learners sign in with their phone; a staff username must never be mistaken for one.
            throw ProblemException.invalid("username", "a staff username must not be a phone number");
        }
        if (request.scope().contains(Scope.WHOLE_TREE) && !Role.ADMIN.equals(request.role())) {
            throw ProblemException.invalid("scope", "only an ADMIN may have the whole tree ('*') as scope");
        }
        if (request.scope().contains(Scope.WHOLE_TREE) && !callerScope.wholeTree()) {
            throw ProblemException.forbidden("You can give only a scope inside your own.");
        }
        String phone = null;
        if (request.phone() != null && !request.phone().isBlank()) {
            phone = PhoneNumbers.normalize(request.phone())
                    .orElseThrow(() -> ProblemException.invalid("phone", "not a Vietnamese mobile number"));
        }
        String normalizedPhone = phone;
        List<String> codes =
                request.scope().stream().map(String::strip).distinct().toList();
        return checkInside(codes, callerScope)
                .flatMap(ok -> hasher.hash(request.password()))
                .flatMap(hash -> Panache.withTransaction(() -> StaffAccount.findByUsername(request.username())
                        .flatMap(existing -> {
                            if (existing != null) {
                                return Uni.createFrom()
                                        .failure(ProblemException.conflict(
                                                "username-taken",
                                                "The username '" + request.username() + "' is taken."));
                            }
                            StaffAccount account = new StaffAccount();
                            account.username = request.username();
                            account.passwordHash = hash;
                            account.role = request.role();
                            account.scope = codes.toArray(String[]::new);
                            account.fullName = request.fullName().strip();
                            account.phone = normalizedPhone;
                            return account.<StaffAccount>persist();
                        })))
                .flatMap(saved -> Panache.withSession(() -> StaffAccount.<StaffAccount>findById(saved.id)))
                .map(StaffDto::of);
    }

    /** Every code is a known locality (400) inside the caller's scope (403). */
    private Uni<Void> checkInside(List<String> codes, Scope callerScope) {
        List<String> real =
                codes.stream().filter(c -> !Scope.WHOLE_TREE.equals(c)).toList();
        if (real.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("SELECT code, path FROM locality_view WHERE code = ANY($1)")
                .execute(Tuple.of(real.toArray(String[]::new)))
                .map(rows -> {
                    Set<String> found = new HashSet<>();
                    rows.forEach(r -> {
                        if (!callerScope.covers(r.getString(1))) {
                            throw ProblemException.forbidden("You can give only a scope inside your own: '"
                                    + r.getString(0) + "' is outside it.");
                        }
                        found.add(r.getString(0));
                    });
                    List<String> missing =
                            real.stream().filter(c -> !found.contains(c)).toList();
                    if (!missing.isEmpty()) {
                        throw ProblemException.invalid(
                                "scope", "unknown locality code(s): " + String.join(", ", missing));
                    }
                    return null;
                });
    }
}
