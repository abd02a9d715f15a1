package org.phocap.platform;

import io.smallrye.config.ConfigMapping;

/** Paging of every list. Every key, with its meaning and default, is in application.properties. */
@ConfigMapping(prefix = "phocap.page")
public interface PageConfig {
    int maxSize();
}
