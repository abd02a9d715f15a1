package org.phocap.roster;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import org.phocap.platform.ProblemException;
import org.phocap.platform.Uploads;

/**
 * Receives an uploaded roster: streams it to a temporary file under the size limit (413 past it,
 * before anything is recorded) and works out its format and charset.
 */
@ApplicationScoped
public class RosterUploads {
    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private final long maxBytes;

    public RosterUploads(RosterConfig rosterConfig) {
        long maxBytes = rosterConfig.maxBytes();
        this.maxBytes = maxBytes;
    }

    /** Refuses at once when the client announced a size over the limit. */
    void checkAnnounced(Long contentLength) {
        if (contentLength != null && contentLength > maxBytes) {
            throw tooLarge();
        }
    }

    Path receive(InputStream body) {
        return Uploads.receive(body, maxBytes, "Roster files").file();
    }

    Path check(Path uploaded) {
        try {
            long size = Files.size(uploaded);
            if (size > maxBytes) {
                throw tooLarge();
            }
            if (size == 0) {
                throw ProblemException.badRequest("The upload is empty.");
            }
            Path copy = Files.createTempFile("phocap-roster-", ".upload");
            // The multipart temp file is deleted when the request ends; the import outlives it.
            Files.copy(uploaded, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RosterImporter.Format format(Path file, String contentType, String fileName) {
        if ((contentType != null && contentType.startsWith(XLSX))
                || (fileName != null && fileName.toLowerCase().endsWith(".xlsx"))) {
            return RosterImporter.Format.XLSX;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            // Every .xlsx is a ZIP archive: "PK\3\4".
            if (head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
                return RosterImporter.Format.XLSX;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return RosterImporter.Format.CSV;
    }

    /**
     * The charset named by the query parameter or the Content-Type, or null to detect it. Only
     * UTF-8 and Windows-1258 are Vietnamese rosters; HTTP clients often add a default charset
     * (ISO-8859-1) to text types, so any other Content-Type charset is ignored and detected instead.
     */
    static Charset charset(String parameter, String contentType) {
        if (parameter != null && !parameter.isBlank()) {
            return supported(parameter)
                    .orElseThrow(() -> ProblemException.invalid(
                            "charset", "unsupported charset '" + parameter + "' (use utf-8 or windows-1258)"));
        }
        if (contentType != null) {
            for (String part : contentType.split(";")) {
                String p = part.strip();
                if (p.toLowerCase().startsWith("charset=")) {
                    return supported(p.substring(8).replace("\"", "")).orElse(null);
                }
            }
        }
        return null;
    }

    private static java.util.Optional<Charset> supported(String name) {
        String key = name.strip().toLowerCase().replace("_", "-");
        return switch (key) {
            case "utf-8", "utf8" -> java.util.Optional.of(java.nio.charset.StandardCharsets.UTF_8);
            case "windows-1258", "cp1258", "cp-1258" -> java.util.Optional.of(TextDecoding.CP1258);
            default -> java.util.Optional.empty();
        };
    }

    static void discard(Path file) {
        Uploads.discard(file);
    }

    private ProblemException tooLarge() {
        return Uploads.tooLarge("Roster files", maxBytes);
    }
}
