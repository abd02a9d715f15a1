package org.phocap.certificate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.phocap.auth.Subject;
import org.phocap.certificate.CertificateStore.Filter;
import org.phocap.locality.Scope;
import org.phocap.platform.CsvExport;
import org.phocap.platform.CsvLines;
import org.phocap.platform.Page;
import org.phocap.platform.ProblemException;

/** The rules around certificates: who may fetch which, verification, revocation, listings. */
@ApplicationScoped
public class CertificateService {
    static final String CSV_HEADER = CsvLines.line(
            "serial",
            "holder_name",
            "birth_year",
            "locality_code",
            "locality",
            "course",
            "campaign_id",
            "campaign",
            "issued_at",
            "revoked_at",
            "revoke_reason");

    private final Pool pool;
    private final CertificateStore store;
    private final CertificateFiles files;
    private final CourseCompletion completion;
    private final Clock clock;
    private final int csvChunk;
    private final Map<String, Counter> verifications;

    public CertificateService(
            Pool pool,
            CertificateStore store,
            CertificateFiles files,
            CourseCompletion completion,
            Clock clock,
            MeterRegistry metrics,
            CertificateConfig certificateConfig) {
        int csvChunk = certificateConfig.csvChunk();
        this.pool = pool;
        this.store = store;
        this.files = files;
        this.completion = completion;
        this.clock = clock;
        this.csvChunk = csvChunk;
        this.verifications = Map.of(
                "valid",
                counter(metrics, "valid"),
                "revoked",
                counter(metrics, "revoked"),
                "unknown",
                counter(metrics, "unknown"),
                "mistyped",
                counter(metrics, "mistyped"));
    }

    private static Counter counter(MeterRegistry metrics, String result) {
        return Counter.builder("phocap.certificate.verifications")
                .tag("result", result)
                .description("Public certificate checks by outcome; mistyped ones are refused without a lookup")
                .register(metrics);
    }

    /**
     * The learner's certificates. Completions are first re-evaluated for the courses of their
     * campaigns that have none yet: a completion whose check was lost (a crash right after a
     * heartbeat was answered) or a course finished in an earlier campaign is picked up here.
     */
    public Uni<List<Certificate>> mine(long learnerId) {
        Instant now = clock.instant();
        return pool.preparedQuery("""
                        SELECT DISTINCT k.course_id FROM enrolment_view e JOIN campaign_view c ON c.id = e.campaign_id
                        CROSS JOIN LATERAL unnest(c.course_ids) AS k(course_id)
                        WHERE e.learner_id = $1 AND e.wave_id IS NOT NULL AND NOT EXISTS (
                            SELECT 1 FROM course_completion cc
                            WHERE cc.campaign_id = e.campaign_id AND cc.learner_id = $1 AND cc.course_id = k.course_id)""")
                .execute(Tuple.of(learnerId))
                .flatMap(rows -> {
                    List<Uni<Boolean>> checks = new ArrayList<>();
                    for (Row row : rows) {
                        checks.add(completion.check(learnerId, row.getLong(0), now));
                    }
                    return checks.isEmpty()
                            ? Uni.createFrom().voidItem()
                            : Uni.join().all(checks).andFailFast().replaceWithVoid();
                })
                .flatMap(checked -> store.ofLearner(learnerId));
    }

    /** The learner's completed courses whose certificate is held for review. */
    public Uni<List<HeldCertificate>> held(long learnerId) {
        return completion.held(learnerId);
    }

    /** The PDF for its holder, or for staff whose scope covers the holder; 404 to anyone else. */
    public Uni<byte[]> pdf(String candidate, Subject caller, Scope staffScope) {
        String serial = Serials.valid(candidate).orElseThrow(() -> mistyped(candidate));
        Uni<java.util.Optional<Certificate>> found = caller.kind() == Subject.Kind.LEARNER
                ? store.bySerial(serial).map(c -> c.filter(it -> it.learnerId() == caller.id()))
                : store.bySerial(serial, staffScope);
        return found.flatMap(c -> files.pdf(c.orElseThrow(() -> notFound(serial))));
    }

    /** The public check: mistyped serials are answered from the check character alone. */
    public Uni<Certificate> verify(String candidate) {
        var serial = Serials.valid(candidate);
        if (serial.isEmpty()) {
            verifications.get("mistyped").increment();
            return Uni.createFrom().failure(mistyped(candidate));
        }
        return store.bySerial(serial.get()).map(c -> {
            if (c.isEmpty()) {
                verifications.get("unknown").increment();
                throw notFound(serial.get());
            }
            verifications.get(c.get().revoked() ? "revoked" : "valid").increment();
            return c.get();
        });
    }

    public Uni<Certificate> revoke(String candidate, String reason, long staffId, Scope scope) {
        String serial = Serials.valid(candidate).orElseThrow(() -> mistyped(candidate));
        return store.bySerial(serial, scope)
                .flatMap(c -> {
                    if (c.isEmpty()) {
                        throw notFound(serial);
                    }
                    return store.revoke(serial, reason.strip(), staffId, clock.instant());
                })
                .map(revoked -> revoked.orElseThrow(() -> ProblemException.conflict(
                        "already-revoked", "Certificate " + serial + " is already revoked.")));
    }

    public Uni<Page<Certificate>> page(Filter filter, Scope scope, int page, int size) {
        return store.page(filter, scope, page, size);
    }

    /** Every matching certificate as CSV, read in keyset chunks so an export of any size streams in bounded memory. */
    public Multi<String> csv(Filter filter, Scope scope) {
        AtomicReference<Certificate> last = new AtomicReference<>();
        return CsvExport.stream(
                CSV_HEADER,
                () -> store.after(
                                filter,
                                scope,
                                last.get() == null ? null : last.get().issuedAt(),
                                last.get() == null ? null : last.get().serial(),
                                csvChunk)
                        .invoke(chunk -> {
                            if (!chunk.isEmpty()) {
                                last.set(chunk.get(chunk.size() - 1));
                            }
                        }),
                csvChunk,
                c -> CsvLines.line(
                        c.serial(),
                        c.holderName(),
                        c.birthYear() == null ? "" : c.birthYear().toString(),
                        c.localityCode(),
                        c.localityName(),
                        c.courseTitle(),
                        String.valueOf(c.campaignId()),
                        c.campaignName(),
                        c.issuedAt().toString(),
                        c.revokedAt() == null ? "" : c.revokedAt().toString(),
                        c.revokeReason()));
    }

    static ProblemException notFound(String serial) {
        return new ProblemException(404, "certificate-not-found", "Not found", "No certificate " + serial + ".");
    }

    /** Not found, and the caller is told why: the serial cannot be right, whatever the database holds. */
    static ProblemException mistyped(String candidate) {
        return new ProblemException(
                404,
                "certificate-not-found",
                "Not found",
                "No certificate " + Serials.shown(candidate)
                        + ": the serial is not well formed or its check character does not match, so it was probably mistyped.");
    }
}
