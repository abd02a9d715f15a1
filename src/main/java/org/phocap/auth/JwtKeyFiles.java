package org.phocap.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * RSA key pair for signing access tokens on a single machine. Production takes its keys from
 * configuration (a Kubernetes Secret); only the embedded and test setups generate a pair, once,
 * into their data folder.
 */
public final class JwtKeyFiles {
    public static final String PRIVATE_KEY = "jwt-private.pem";
    public static final String PUBLIC_KEY = "jwt-public.pem";

    private JwtKeyFiles() {}

    /** Generates the pair into {@code dir} unless it is already there; answers the folder. */
    public static Path ensure(Path dir) {
        Path privateKey = dir.resolve(PRIVATE_KEY);
        Path publicKey = dir.resolve(PUBLIC_KEY);
        if (Files.exists(privateKey) && Files.exists(publicKey)) {
            return dir;
        }
        try {
            Files.createDirectories(dir);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            writePem(privateKey, "PRIVATE KEY", pair.getPrivate().getEncoded(), true);
            writePem(publicKey, "PUBLIC KEY", pair.getPublic().getEncoded(), false);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write JWT keys to " + dir, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writePem(Path file, String label, byte[] der, boolean secret) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        String pem = "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
        if (secret) {
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // Not a POSIX file system: the folder's own permissions have to do.
            }
        }
    }
}
