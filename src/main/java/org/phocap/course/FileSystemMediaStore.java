package org.phocap.course;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Pattern;

/** Media under the data folder, fanned out by the first two hex digits of the hash. */
@ApplicationScoped
public class FileSystemMediaStore implements MediaStore {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Path root;

    public FileSystemMediaStore(MediaConfig mediaConfig) {
        String root = mediaConfig.dir();
        this.root = Path.of(root).toAbsolutePath();
    }

    @Override
    public void put(String sha256, Path received) throws IOException {
        Path target = pathOf(sha256);
        if (Files.exists(target)) {
            Files.deleteIfExists(received);
            return;
        }
        Files.createDirectories(target.getParent());
        Path staging = Files.createTempFile(target.getParent(), sha256, ".part");
        // Copy into the store's own folder first, then rename: a reader never sees half a file.
        Files.move(received, staging, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public Optional<Path> localFile(String sha256) {
        Path path = pathOf(sha256);
        return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }

    private Path pathOf(String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a SHA-256 hex digest");
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }
}
