package org.phocap.auth;

import io.quarkus.runtime.Startup;
import io.smallrye.jwt.util.KeyUtils;
import io.smallrye.jwt.util.ResourceUtils;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Optional;

/**
 * The RS256 signing key, read once at start so a missing or bad key stops the service at once
 * instead of failing the first sign-in. Either the PEM text itself (PHOCAP_JWT_PRIVATE_KEY, e.g.
 * a Kubernetes Secret exposed as env) or a file (PHOCAP_JWT_PRIVATE_KEY_LOCATION).
 */
@Startup
@Singleton
public class SigningKey {
    private final PrivateKey key;
    private final String kid;

    public SigningKey(JwtConfig jwtConfig) {
        Optional<String> pem = jwtConfig.privateKey();
        String location = jwtConfig.signKeyLocation();
        Optional<String> publicPem = jwtConfig.publicKey();
        String publicLocation = jwtConfig.publicKeyLocation();
        try {
            this.key = KeyUtils.decodePrivateKey(pem.isPresent() ? pem.get() : read(location));
        } catch (Exception e) {
            throw new IllegalStateException(
                    "Cannot read the JWT signing key from " + (pem.isPresent() ? "PHOCAP_JWT_PRIVATE_KEY" : location)
                            + ": " + e.getClass().getSimpleName(),
                    e);
        }
        if (key == null) {
            throw new IllegalStateException("No JWT signing key at " + location);
        }
        // smallrye-jwt's own default for the inline key is the word NONE: then the location holds it.
        Optional<String> inline = publicPem.filter(text -> !text.isBlank() && !"NONE".equals(text.strip()));
        checkPair(inline.isPresent() ? "mp.jwt.verify.publickey" : publicLocation, inline);
        this.kid = VerificationKeys.kid(publicOf(key));
    }

    /** The public half of an RSA private key (PKCS#8 keys carry the modulus and public exponent). */
    private static PublicKey publicOf(PrivateKey key) {
        if (!(key instanceof RSAPrivateCrtKey rsa)) {
            throw new IllegalStateException("The JWT signing key must be an RSA key with its public parts (PKCS#8)");
        }
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot derive the JWT public key", e);
        }
    }

    /** The id written into every token signed here (the thumbprint of the public key). */
    String kid() {
        return kid;
    }

    /**
     * The verification key must be readable and belong to the signing key, or every token this
     * instance issues would be refused (by itself or by its peers): better to stop at start.
     */
    private void checkPair(String where, Optional<String> publicPem) {
        String text;
        try {
            text = publicPem.isPresent() ? publicPem.get() : read(where);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "Cannot read the JWT public key from " + where + ": "
                            + e.getClass().getSimpleName(),
                    e);
        }
        if (text.strip().startsWith("{")) {
            return; // a JWK set: smallrye-jwt reads it; the pair is not compared here
        }
        try {
            PublicKey publicKey = KeyUtils.decodePublicKey(text);
            byte[] probe = "phocap key pair check".getBytes(StandardCharsets.UTF_8);
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(publicKey);
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new IllegalStateException(
                        "The JWT public key at " + where + " does not belong to the signing key");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "Cannot use the JWT public key from " + where + ": "
                            + e.getClass().getSimpleName(),
                    e);
        }
    }

    /** A file: URL in any spelling (file:/a, file:///a), or any other location smallrye can read. */
    static String read(String location) throws IOException {
        if (location.startsWith("file:")) {
            String path = location.substring("file:".length());
            if (path.startsWith("//")) {
                path = path.substring(2);
            }
            return Files.readString(Path.of(path));
        }
        return ResourceUtils.readResource(location);
    }

    PrivateKey key() {
        return key;
    }
}
