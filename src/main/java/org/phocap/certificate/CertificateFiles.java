package org.phocap.certificate;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.phocap.platform.Backlog;
import org.phocap.platform.Overload;

/**
 * A certificate's PDF: rendered once, on a small pool of render threads (never an event loop), then
 * stored in PostgreSQL and served byte for byte from there on every instance. Two downloads of a
 * certificate that is still rendering share that render. At most
 * {@code phocap.certificate.max-pending-renders} renders wait or run at once: a first download
 * past that (the end of a wave, a script fetching every certificate) is answered 503 with
 * Retry-After at once instead of queueing without a limit behind renders it cannot overtake.
 */
// Created at start so that its meters exist (an alert on the render backlog needs the series).
@Startup
@ApplicationScoped
public class CertificateFiles {
    private final CertificateStore store;
    private final CertificateLinks links;
    private final ZoneId zone;
    private final ExecutorService renderers;
    private final Timer renderTime;
    /** Renders in flight (not a cache): two downloads of one new PDF share one render; removed when stored. */
    private final Map<String, Uni<byte[]>> rendering = new ConcurrentHashMap<>();
    /** The entries of {@link #rendering}, counted exactly (a map's size is not a claim one can take). */
    private final Backlog pending;

    public CertificateFiles(
            CertificateStore store,
            CertificateLinks links,
            MeterRegistry metrics,
            CertificateConfig certificateConfig) {
        ZoneId zone = certificateConfig.zone();
        int threads = certificateConfig.renderThreads();
        this.store = store;
        this.links = links;
        this.zone = zone;
        this.pending = new Backlog(certificateConfig.maxPendingRenders());
        AtomicInteger n = new AtomicInteger();
        this.renderers = Executors.newFixedThreadPool(Math.max(1, threads), task -> {
            Thread t = new Thread(task, "certificate-render-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.renderTime = Timer.builder("phocap.certificate.render")
                .description("Time to render one certificate PDF (first download only)")
                .register(metrics);
        // Renders asked for and not finished (running or waiting for a render thread): the backlog.
        metrics.gaugeMapSize("phocap.certificate.render.pending", Tags.empty(), rendering);
    }

    public Uni<byte[]> pdf(Certificate certificate) {
        return store.pdf(certificate.serial())
                .flatMap(stored -> stored != null ? Uni.createFrom().item(stored) : render(certificate));
    }

    private Uni<byte[]> render(Certificate certificate) {
        String serial = certificate.serial();
        Uni<byte[]> shared = rendering.computeIfAbsent(serial, s -> {
            if (!pending.enter()) {
                return null; // no entry: this download is refused below
            }
            return Uni.createFrom()
                    .item(() -> renderTime.record(
                            () -> CertificatePdf.render(certificate, links.verifyUrl(certificate), zone)))
                    .runSubscriptionOn(renderers)
                    .flatMap(bytes -> store.storePdf(s, bytes))
                    .onTermination()
                    .invoke(() -> {
                        rendering.remove(s);
                        pending.leave();
                    })
                    .memoize()
                    .indefinitely();
        });
        return shared != null
                ? shared
                : Uni.createFrom()
                        .failure(Overload.shed(
                                "certificate-render",
                                pending.limit()
                                        + " certificate PDFs are being made on this instance; try again shortly."));
    }

    @PreDestroy
    void stop() {
        renderers.shutdown();
    }
}
