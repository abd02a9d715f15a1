package org.phocap.certificate;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.phocap.platform.ProblemException;

/**
 * Public certificate look-ups per client address: a bucket of {@code per-minute} look-ups that
 * refills continuously. Enough for a verifier checking a pile of certificates; too few to walk the
 * serial space. The address is the forwarded client behind a trusted proxy (quarkus.http.proxy.*).
 */
@ApplicationScoped
public class PublicLookupLimit {
    /** Rate-limit state per client address (not a cache: dropping an entry would lift a limit). */
    private final Map<String, double[]> buckets = new ConcurrentHashMap<>();

    private final double perMinute;

    public PublicLookupLimit(CertificateConfig certificateConfig) {
        int perMinute = certificateConfig.publicLookupsPerMinute();
        this.perMinute = Math.max(1, perMinute);
    }

    /** Takes one look-up for the address, or throws 429 with the seconds until the next is allowed. */
    public void take(String address) {
        long now = System.nanoTime();
        double[] bucket = buckets.computeIfAbsent(address, a -> new double[] {perMinute, now});
        synchronized (bucket) {
            double refilled = Math.min(perMinute, bucket[0] + (now - bucket[1]) / 60e9 * perMinute);
            bucket[1] = now;
            if (refilled < 1) {
                bucket[0] = refilled;
                int wait = (int) Math.ceil((1 - refilled) * 60 / perMinute);
                throw new ProblemException(
                                429,
                                "too-many-requests",
                                "Too many look-ups",
                                "Too many certificate look-ups from this address; try again in " + wait + " s.")
                        .retryAfter(wait);
            }
            bucket[0] = refilled - 1;
        }
    }

    /** Forgets addresses whose bucket is full again. */
    @Scheduled(every = "5m", identity = "public-lookup-sweep")
    void sweep() {
        long now = System.nanoTime();
        buckets.values().removeIf(b -> {
            synchronized (b) {
                return b[0] + (now - b[1]) / 60e9 * perMinute >= perMinute;
            }
        });
    }
}
