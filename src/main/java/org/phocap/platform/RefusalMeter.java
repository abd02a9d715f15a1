package org.phocap.platform;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/**
 * Counts every request the service turned away for the moment, {@code phocap_refusals_total{status,
 * cause}}: 503 by the bound that shed it (db-queue-full, heartbeat-queue, stream-cap,
 * stream-opening) or
 * {@code unavailable} (the database away), 429 by the limit (locked: sign-in throttling,
 * too-many-requests: public certificate look-ups). The causes are registered at zero at start, so
 * that alerts and dashboards have a series before the first refusal.
 */
@Startup
@Singleton
public class RefusalMeter {
    static final String NAME = "phocap.refusals";
    static final Map<Integer, List<String>> KNOWN = Map.of(
            503, List.of("db-queue-full", "heartbeat-queue", "stream-cap", "stream-opening", "unavailable"),
            429, List.of("locked", "too-many-requests"));

    public RefusalMeter(MeterRegistry metrics) {
        KNOWN.forEach((status, causes) -> causes.forEach(cause -> {
            metrics.counter(NAME, "status", status.toString(), "cause", cause);
            if (status == 503 && !cause.equals("unavailable")) {
                metrics.counter(Overload.METER, "cause", cause);
            }
        }));
    }

    /** One refusal answered; the cause is a slug from this code base, never from the request. */
    static void count(int status, String cause) {
        Metrics.counter(NAME, "status", Integer.toString(status), "cause", cause)
                .increment();
    }
}
