package org.phocap.progress;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** The completion-check outbox. Every key, with its meaning and default, is in application.properties. */
@ConfigMapping(prefix = "phocap.completion")
public interface CompletionConfig {
    Duration retryAfter();

    Duration retryEvery();
}
