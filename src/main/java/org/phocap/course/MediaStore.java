package org.phocap.course;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where lesson media bytes live, content-addressed by SHA-256. The filesystem store is the
 * default; an S3-compatible store can implement the same two calls (serving a local copy, or
 * later a presigned redirect, is the serving side's choice).
 */
public interface MediaStore {
    /** Takes ownership of a received file (blocking). Storing the same content twice is a no-op. */
    void put(String sha256, Path received) throws IOException;

    /** A local file holding the content, for zero-copy range serving. */
    Optional<Path> localFile(String sha256);
}
