package org.phocap.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Streams a request body to a temporary file under a size limit (413 past it), hashing it on the
 * way. Blocking: call it from a worker thread.
 */
public final class Uploads {
    private Uploads() {}

    public record Received(Path file, long size, String sha256) {}

    public static Received receive(InputStream body, long maxBytes, String what) {
        Path file = null;
        try {
            file = Files.createTempFile("phocap-upload-", ".part");
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long written = 0;
            byte[] buffer = new byte[64 * 1024];
            try (OutputStream out = Files.newOutputStream(file)) {
                int read;
                while ((read = body.read(buffer)) > 0) {
                    written += read;
                    if (written > maxBytes) {
                        throw tooLarge(what, maxBytes);
                    }
                    digest.update(buffer, 0, read);
                    out.write(buffer, 0, read);
                }
            }
            if (written == 0) {
                throw ProblemException.badRequest("The upload is empty.");
            }
            return new Received(file, written, HexFormat.of().formatHex(digest.digest()));
        } catch (IOException e) {
            discard(file);
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            discard(file);
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            discard(file);
            throw e;
        }
    }

    public static ProblemException tooLarge(String what, long maxBytes) {
        return ProblemException.tooLarge(what + " are limited to " + maxBytes + " bytes.");
    }

    public static void discard(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // Left for the temp folder's own cleaning.
            }
        }
    }
}
