package org.phocap.auth;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
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

    private final LearnerCredentials learners;
    private final PasswordHasher hasher;
    private final TokenService tokens;
    private final LoginThrottle throttle;
    private final StaffCredentials staff;

    public AuthService(
            LearnerCredentials learners,
            PasswordHasher hasher,
            TokenService tokens,
            LoginThrottle throttle,
            StaffCredentials staff) {
        this.learners = learners;
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
                ? learners.byPhone(phone.get())
                        .map(found -> found.map(l -> new Candidate(learnerSubject(l), l.pinHash(), false)))
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
        return held(hold).chain(() -> learners.byPhone(phone)).flatMap(found -> {
            String expected =
                    found.map(LearnerCredentials.Credential::activationCode).orElse(null);
            // A recovery code expires; a roster import's code has no expiry (NULL).
            boolean expired = found.map(LearnerCredentials.Credential::codeExpiresAt)
                    .map(at -> at.isBefore(Instant.now()))
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
            LearnerCredentials.Credential learner = found.get();
            return hasher.hash(request.pin())
                    .flatMap(hash -> learners.activate(learner.id(), code, hash))
                    .flatMap(activated -> {
                        if (!activated) {
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
                    });
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
        return held(hold).chain(() -> learners.byId(learner.id())).flatMap(found -> {
            String current = found.map(LearnerCredentials.Credential::pinHash).orElse(null);
            return hasher.verify(request.currentPin(), current).flatMap(ok -> {
                if (!ok) {
                    throttle.failed(account, address);
                    return Uni.createFrom().failure(ProblemException.invalid("currentPin", "is not the current PIN"));
                }
                throttle.succeeded(account, address);
                return hasher.hash(request.newPin())
                        .flatMap(hash -> learners.changePin(learner.id(), current, hash))
                        .flatMap(changed -> !changed
                                ? Uni.createFrom()
                                        .failure(ProblemException.conflict(
                                                "pin-changed",
                                                "The PIN was changed at the same moment elsewhere; sign in again."))
                                : Panache.withTransaction(() -> tokens.revokeOthers(learner, UUID.fromString(family))));
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
                        : learners.byId(token.subjectId)
                                .map(l -> l.map(AuthService::learnerSubject)
                                        .orElseThrow(
                                                () -> ProblemException.unauthorized("The account no longer exists."))));
    }

    public Uni<Void> logout(String family) {
        if (family == null) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> tokens.revokeFamily(UUID.fromString(family)))
                .replaceWithVoid();
    }

    private static Subject learnerSubject(LearnerCredentials.Credential learner) {
        return new Subject(Subject.Kind.LEARNER, learner.id(), learner.phone(), Role.LEARNER, List.of());
    }

    private record Candidate(Subject subject, String hash, boolean generatedPassword) {}
}
