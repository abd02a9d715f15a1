package org.phocap.demo;

import io.smallrye.config.ConfigMapping;

/** The demo data (embedded setup). Every key, with its meaning and default, is in application.properties. */
@ConfigMapping(prefix = "phocap.demo")
public interface DemoConfig {
    boolean enabled();

    int finishedLearners();

    int learners();
}
