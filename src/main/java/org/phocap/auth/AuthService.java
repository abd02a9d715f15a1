package org.phocap.auth;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.phocap.platform.PhoneNumbers;
import org.phocap.platform.ProblemException;

/**
 * Sign-in for both kinds of people: staff by username and password, learners by phone and PIN
 * (after activating with their one-time code). Failures are throttled per account and address.
 */
@ApplicationScoped
public class AuthService {
    private static final String BAD_CREDENTIALS = "Wrong username or password.";

    private final Pool pool;
    private final PasswordHasher hasher;
    private final TokenService tokens;
    private final LoginThrottle throttle;
    private final StaffCredentials staff;

    public AuthService(
            Pool pool, PasswordHasher hasher, TokenService tokens, LoginThrottle throttle, StaffCredentials staff) {
        this.pool = pool;
        this.staff = staff;
        this.hasher = hasher;
        this.tokens = tokens;
        this.throttle = throttle;
    }

    public Uni<TokenPair> login(AuthRequests.Login request, String address) {
        Optional<String> phone = PhoneNumbers.normalize(request.username());
        String account = phone.orElse(request.username());
        Duration hold = throttle.check(account, address);
        Uni<Optional<Candidate>> candidate = phone.isPresent()
                ? learnerByPhone(phone.get())
                        .map(row -> row.map(r -> new Candidate(learnerSubject(r), r.getString("pin_hash"), false)))
                : staff.byUsername(request.username())
                        .map(found ->
                                found.map(c -> new Candidate(c.subject(), c.passwordHash(), c.generatedPassword())));
        return held(hold)
                .chain(() -> candidate)
                .flatMap(found -> hasher.verify(
                                request.password(), found.map(Candidate::hash).orElse(null))
                        .flatMap(ok -> {
                            if (!ok) {
                                throttle.failed(account, address);
                                return Uni.createFrom().failure(ProblemException.unauthorized(BAD_CREDENTIALS));
                            }
                            throttle.succeeded(account, address);
                            Candidate who = found.get();
                            // The first sign-in with a printed generated password: it is known now, stop reprinting it.
                            return Panache.withTransaction(() -> (who.generatedPassword()
                                            ? staff.generatedPasswordUsed(
                                                    who.subject().id())
                                            : Uni.createFrom().voidItem())
                                    .chain(() -> tokens.issue(who.subject())));
                        }));
    }

    /** Waits without blocking: an account under attack answers more slowly, but still answers. */
    private static Uni<Void> held(Duration hold) {
        return hold.isZero()
                ? Uni.createFrom().voidItem()
                : Uni.createFrom().voidItem().onItem().delayIt().by(hold);
    }

    public Uni<TokenPair> activate(AuthRequests.Activate request, String address) {
        String phone = PhoneNumbers.normalize(request.phone())
                .orElseThrow(() -> ProblemException.invalid("phone", "not a Vietnamese mobile number"));
        Duration hold = throttle.check(phone, address);
        String code = request.code().strip().toUpperCase();
        return held(hold).chain(() -> learnerByPhone(phone)).flatMap(found -> {
            String expected = found.map(r -> r.getString("activation_code")).orElse(null);
            // A recovery code expires; a roster import's code has no expiry (NULL).
            boolean expired = found.map(r -> r.getOffsetDateTime("activation_code_expires_at"))
                    .map(at -> at.toInstant().isBefore(Instant.now()))
                    .orElse(false);
            if (expected == null
                    || expired
                    || !MessageDigest.isEqual(
                            expected.getBytes(StandardCharsets.UTF_8), code.getBytes(StandardCharsets.UTF_8))) {
                throttle.failed(phone, address);
                return Uni.createFrom()
                        .failure(ProblemException.invalid(
                                "code", "the activation code is wrong or has already been used"));
            }
            Row learner = found.get();
            return hasher.hash(request.pin())
                    .flatMap(hash -> pool.preparedQuery("""
                            UPDATE learner SET pin_hash = $1, activated_at = coalesce(activated_at, now()), activation_code = NULL,
                                activation_code_expires_at = NULL, updated_at = now()
                            WHERE id = $2 AND activation_code = $3""")
                            .execute(Tuple.of(hash, learner.getLong("id"), code))
                            .flatMap(result -> {
                                if (result.rowCount() == 0) {
                                    // Someone used the same code a moment earlier.
                                    return Uni.createFrom()
                                            .failure(ProblemException.invalid(
                                                    "code", "the activation code is wrong or has already been used"));
                                }
                                throttle.succeeded(phone, address);
                                // After a recovery code, whoever held the old PIN's sign-ins is signed out.
                                Subject subject = learnerSubject(learner);
                                return Panache.withTransaction(
                                        () -> tokens.revokeAll(subject).chain(() -> tokens.issue(subject)));
                            }));
        });
    }

    /**
     * A learner changes their PIN, proving the current one (throttled like a sign-in, so a borrowed
     * phone with an open session cannot be used to guess it); every other sign-in of theirs ends.
     */
    public Uni<Void> changePin(Subject learner, String family, AuthRequests.ChangePin request, String address) {
        if (request.newPin().equals(request.currentPin())) {
            return Uni.createFrom().failure(ProblemException.invalid("newPin", "must differ from the current PIN"));
        }
        String account = "learner:" + learner.id();
        Duration hold = throttle.check(account, address);
        return held(hold)
                .chain(() -> pool.preparedQuery("SELECT pin_hash FROM learner WHERE id = $1")
                        .execute(Tuple.of(learner.id())))
                .flatMap(rows -> {
                    String current =
                            rows.size() == 0 ? null : rows.iterator().next().getString("pin_hash");
                    return hasher.verify(request.currentPin(), current).flatMap(ok -> {
                        if (!ok) {
                            throttle.failed(account, address);
                            return Uni.createFrom()
                                    .failure(ProblemException.invalid("currentPin", "is not the current PIN"));
                        }
                        throttle.succeeded(account, address);
                        return hasher.hash(request.newPin())
                                .flatMap(hash -> pool.preparedQuery(
                                                "UPDATE learner SET pin_hash = $1, updated_at = now() WHERE id = $2 AND pin_hash = $3")
                                        .execute(Tuple.of(hash, learner.id(), current)))
                                .flatMap(updated -> updated.rowCount() == 0
                                        ? Uni.createFrom()
                                                .failure(
                                                        ProblemException.conflict(
                                                                "pin-changed",
                                                                "The PIN was changed at the same moment elsewhere; sign in again."))
                                        : Panache.withTransaction(
                                                () -> tokens.revokeOthers(learner, UUID.fromString(family))));
                    });
                });
    }

    public Uni<TokenPair> refresh(AuthRequests.Refresh request) {
        return tokens.refresh(
                request.refreshToken(),
                token -> "STAFF".equals(token.subjectKind)
                        ? staff.byId(token.subjectId)
                                .map(s -> s.orElseThrow(
                                        () -> ProblemException.unauthorized("The account no longer exists.")))
                        : pool.preparedQuery("SELECT id, phone, pin_hash, activation_code FROM learner WHERE id = $1")
                                .execute(Tuple.of(token.subjectId))
                                .map(rows -> {
                                    if (rows.size() == 0) {
                                        throw ProblemException.unauthorized("The account no longer exists.");
                                    }
                                    return learnerSubject(rows.iterator().next());
                                }));
    }

    public Uni<Void> logout(String family) {
        if (family == null) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> tokens.revokeFamily(UUID.fromString(family)))
                .replaceWithVoid();
    }

    private Uni<Optional<Row>> learnerByPhone(String phone) {
        return pool.preparedQuery(
                        "SELECT id, phone, pin_hash, activation_code, activation_code_expires_at FROM learner WHERE phone = $1")
                .execute(Tuple.of(phone))
                .map(rows -> rows.size() == 0
                        ? Optional.empty()
                        : Optional.of(rows.iterator().next()));
    }

    private static Subject learnerSubject(Row learner) {
        return new Subject(
                Subject.Kind.LEARNER, learner.getLong("id"), learner.getString("phone"), Role.LEARNER, List.of());
    }

    private record Candidate(Subject subject, String hash, boolean generatedPassword) {}
}
