package org.phocap.auth;

import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.jwt.util.KeyUtils;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.lang.HashUtil;
import org.jose4j.lang.JoseException;

/**
 * The public keys access tokens are accepted with, by key id ({@code kid}). Key rotation without
 * signing anyone out: add the new public key to the set on every instance, then switch the signing
 * key, then remove the old public key once its last tokens have expired (docs/operating.md).
 *
 * <p>The set is every {@code *.pem} public key in {@code phocap.jwt.verify-keys-dir} (Kubernetes
 * mounts the {@code phocap-jwt} Secret there and updates the files when the Secret changes), read
 * again every {@code phocap.jwt.verify-keys-reload}; without that folder it is the one key of
 * {@code mp.jwt.verify.publickey(.location)}, a PEM key or a JWK set. A key's id is its RFC 7638
 * thumbprint (SHA-256), the id {@link TokenService} puts in the tokens it signs; a JWK's own
 * {@code kid} is accepted too.
 */
@Startup
@Singleton
public class VerificationKeys {
    private static final Logger LOG = Logger.getLogger(VerificationKeys.class);

    private final Optional<Path> dir;
    private final String signingKid;
    private volatile Map<String, PublicKey> byKid;
    /** Changes whenever the set does: verified tokens kept by VerifiedTokenCache are dropped then. */
    private volatile long version;

    public VerificationKeys(SigningKey signing, JwtConfig jwtConfig) {
        Optional<String> dir = jwtConfig.verifyKeysDir();
        Optional<String> publicPem = jwtConfig.publicKey();
        String publicLocation = jwtConfig.publicKeyLocation();
        this.dir = dir.filter(d -> !d.isBlank()).map(Path::of);
        this.signingKid = signing.kid();
        try {
            Optional<String> inline = publicPem.filter(text -> !text.isBlank() && !"NONE".equals(text.strip()));
            byKid = this.dir.isPresent()
                    ? readFolder(this.dir.get())
                    : parse(inline.isPresent() ? inline.get() : SigningKey.read(publicLocation));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(
                    "Cannot read the JWT verification keys from "
                            + this.dir.map(Path::toString).orElse(publicLocation) + ": " + e.getMessage(),
                    e);
        }
        if (!byKid.containsKey(signingKid)) {
            throw new IllegalStateException(
                    "The JWT signing key's public key (kid " + signingKid + ") is not among the verification keys "
                            + byKid.keySet() + ": every token signed here would be refused");
        }
        LOG.infof("JWT verification keys: %s (signing with %s)", byKid.keySet(), signingKid);
    }

    /** The key a token's kid names, or null when the set has no such key. */
    public PublicKey byKid(String kid) {
        return byKid.get(kid);
    }

    /** Every key (for a token without a kid, signed before kids were written). */
    public Iterable<PublicKey> all() {
        return byKid.values();
    }

    long version() {
        return version;
    }

    /** Reads the folder again; a change replaces the set (an unreadable folder keeps the last one). */
    @Scheduled(
            every = "${phocap.jwt.verify-keys-reload}",
            delayed = "${phocap.jwt.verify-keys-reload}",
            identity = "jwt-verify-keys-reload")
    void reload() {
        if (dir.isEmpty()) {
            return;
        }
        Map<String, PublicKey> fresh;
        try {
            fresh = readFolder(dir.get());
        } catch (IOException | RuntimeException e) {
            LOG.warnf("JWT verification keys not re-read from %s (%s); the last set stays", dir.get(), e.getMessage());
            return;
        }
        if (fresh.isEmpty()) {
            LOG.warnf("No JWT public key in %s; the last set stays", dir.get());
            return;
        }
        if (!fresh.keySet().equals(byKid.keySet())) {
            byKid = fresh;
            version++;
            LOG.infof("JWT verification keys now: %s", fresh.keySet());
            if (!fresh.containsKey(signingKid)) {
                LOG.warnf(
                        "This instance signs with kid %s, which is no longer among the verification keys: "
                                + "restart it with the new signing key",
                        signingKid);
            }
        }
    }

    private static Map<String, PublicKey> readFolder(Path folder) throws IOException {
        Map<String, PublicKey> keys = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                // Kubernetes' own entries (..data, ..2026_...) start with dots; the keys are links into them.
                if (name.startsWith(".") || !name.endsWith(".pem") || !Files.isRegularFile(file)) {
                    continue;
                }
                String text = Files.readString(file, StandardCharsets.US_ASCII);
                if (text.contains("PRIVATE KEY")) {
                    continue;
                }
                keys.putAll(parse(text));
            }
        }
        return keys;
    }

    /** A PEM public key, or a JWK set; each key by its thumbprint (and by its own kid if it has one). */
    static Map<String, PublicKey> parse(String text) {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        try {
            if (text.strip().startsWith("{")) {
                for (JsonWebKey jwk : new JsonWebKeySet(text).getJsonWebKeys()) {
                    if (jwk instanceof RsaJsonWebKey rsa) {
                        keys.put(kid(rsa.getRsaPublicKey()), rsa.getRsaPublicKey());
                        if (rsa.getKeyId() != null) {
                            keys.put(rsa.getKeyId(), rsa.getRsaPublicKey());
                        }
                    }
                }
            } else {
                PublicKey key = KeyUtils.decodePublicKey(text);
                keys.put(kid(key), key);
            }
        } catch (JoseException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "not a PEM public key or JWK set (" + e.getClass().getSimpleName() + ")", e);
        }
        return keys;
    }

    /** RFC 7638 thumbprint of an RSA public key, base64url: the same on every instance, nothing to configure. */
    static String kid(PublicKey key) {
        if (!(key instanceof RSAPublicKey rsa)) {
            throw new IllegalArgumentException("not an RSA key");
        }
        try {
            return new RsaJsonWebKey(rsa).calculateBase64urlEncodedThumbprint(HashUtil.SHA_256);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot compute the key id", e);
        }
    }

    /** The kid in a compact JWS header, or null (no kid, or not a readable header). */
    static String kidOf(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0 || dot > 2048) {
            return null;
        }
        try {
            byte[] header = Base64.getUrlDecoder().decode(token.substring(0, dot));
            com.fasterxml.jackson.databind.JsonNode kid =
                    HEADER.readTree(header).get("kid");
            return kid != null && kid.isTextual() ? kid.asText() : null;
        } catch (IllegalArgumentException | IOException e) {
            return null;
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper HEADER =
            new com.fasterxml.jackson.databind.ObjectMapper();
}
