package org.phocap.platform;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * JSON bodies are small by nature: refuse big ones before they are read. Uploads (CSV, XLSX)
 * have their own, larger limits enforced while they stream to disk.
 */
public class BodyLimitFilter {
    private final long maxJsonBytes;

    public BodyLimitFilter(@ConfigProperty(name = "phocap.http.max-json-bytes") long maxJsonBytes) {
        this.maxJsonBytes = maxJsonBytes;
    }

    @ServerRequestFilter(preMatching = true)
    public void limitJson(ContainerRequestContext request) {
        MediaType type = request.getMediaType();
        if (type == null || !type.getSubtype().endsWith("json")) {
            return;
        }
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > maxJsonBytes) {
                    throw ProblemException.tooLarge("JSON bodies are limited to " + maxJsonBytes + " bytes.");
                }
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("Content-Length is not a number.");
            }
        }
    }
}
