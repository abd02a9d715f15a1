package org.phocap.auth;

import io.smallrye.mutiny.Uni;
import java.util.Optional;

/**
 * Staff accounts as signing in needs them. The staff feature owns the accounts and implements
 * this; signing in only asks (so auth does not depend on staff, which depends on auth).
 */
public interface StaffCredentials {
    /** Who signs in, the stored password hash, and whether that password was generated and printed. */
    record Credential(Subject subject, String passwordHash, boolean generatedPassword) {}

    /** The account with this username, if any. */
    Uni<Optional<Credential>> byUsername(String username);

    /** The account with this id, if it still exists (a refresh signs in again as it is now). */
    Uni<Optional<Subject>> byId(long id);

    /** The generated password was used to sign in: it is known now, stop reprinting it. */
    Uni<Void> generatedPasswordUsed(long id);
}
