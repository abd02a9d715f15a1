package org.phocap.certificate;

import io.smallrye.config.ConfigMapping;
import java.time.ZoneId;

/** Certificates: links, dates, rendering, look-ups, exports. Every key, with its meaning and default, is in application.properties. */
@ConfigMapping(prefix = "phocap.certificate")
public interface CertificateConfig {
    int csvChunk();

    String publicBaseUrl();

    int publicLookupsPerMinute();

    int renderThreads();

    int maxPendingRenders();

    ZoneId zone();
}
