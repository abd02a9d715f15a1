package org.phocap.locality;

import io.smallrye.config.ConfigMapping;

/** Locality imports. Every key, with its meaning and default, is in application.properties. */
@ConfigMapping(prefix = "phocap.localities")
public interface LocalityConfig {
    long maxBytes();
}
