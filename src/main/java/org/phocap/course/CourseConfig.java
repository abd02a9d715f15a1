package org.phocap.course;

import io.smallrye.config.ConfigMapping;

/** Course packages. Every key, with its meaning and default, is in application.properties. */
@ConfigMapping(prefix = "phocap.courses")
public interface CourseConfig {
    long maxZipBytes();
}
