package org.phocap.platform;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.stream.LongStream;

/**
 * Latency buckets for {@code http_server_requests_seconds}, so that Prometheus can compute a p99
 * across instances (histogram_quantile) and the latency alerts have something to read. A fixed set
 * of bounds around the service's targets rather than Micrometer's full percentile histogram (about
 * 70 buckets per route and status).
 */
@Singleton
public class HttpLatencyBuckets {
    static final long[] BOUNDS_MS = {5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000};

    @Produces
    @Singleton
    MeterFilter httpServerBuckets() {
        double[] bounds = LongStream.of(BOUNDS_MS)
                .mapToDouble(ms -> Duration.ofMillis(ms).toNanos())
                .toArray();
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getName().equals("http.server.requests")) {
                    return DistributionStatisticConfig.builder()
                            .serviceLevelObjectives(bounds)
                            .build()
                            .merge(config);
                }
                return config;
            }
        };
    }
}
