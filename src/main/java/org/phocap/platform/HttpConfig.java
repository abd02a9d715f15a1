package org.phocap.platform;

import io.smallrye.config.ConfigMapping;
import java.util.Map;

/** Limits on requests, checked before any resource runs (docs/api.md, "Limits"). Every key, with its meaning and default, is in application.properties. */
@ConfigMapping(prefix = "phocap.http")
public interface HttpConfig {
    Map<String, Long> jsonLimits();

    int maxHeaderBytes();

    long maxJsonBytes();

    int maxRequestLine();
}
