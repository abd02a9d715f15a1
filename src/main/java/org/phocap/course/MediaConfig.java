package org.phocap.course;

import io.smallrye.config.ConfigMapping;

/** Lesson media files. Every key, with its meaning and default, is in application.properties. */
@ConfigMapping(prefix = "phocap.media")
public interface MediaConfig {
    String dir();

    long maxBytes();
}
