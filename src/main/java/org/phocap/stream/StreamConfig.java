package org.phocap.stream;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** Lesson streams: buffers, caps, keep-alives, reconnects, the event log. Every key, with its meaning and default, is in application.properties. */
@ConfigMapping(prefix = "phocap.stream")
public interface StreamConfig {
    int bufferEvents();

    Duration keepAlive();

    int maxOpen();

    int maxPerLearner();

    Duration reconnectAfter();

    int openingConcurrency();

    Duration openingWait();

    Duration reconnectJitter();

    Duration retention();

    Duration trimEvery();
}
