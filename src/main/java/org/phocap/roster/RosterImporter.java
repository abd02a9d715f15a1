package org.phocap.roster;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.phocap.campaign.CampaignStore;
import org.phocap.locality.Scope;
import org.phocap.platform.Overload;
import org.phocap.platform.SafeLog;

/**
 * Runs roster imports off the request and off the event loop: parses the uploaded file row by
 * row and upserts in batches, all inside one transaction, so an import that fails half-way
 * leaves nothing behind. Progress is kept in memory for the status call and the SSE stream.
 */
@ApplicationScoped
public class RosterImporter {
    private static final Logger LOG = Logger.getLogger(RosterImporter.class);

    enum Format {
        CSV,
        XLSX
    }

    record Job(long importId, long campaignId, Path file, Format format, Charset charset, Scope scope) {}

    private final Pool pool;
    private final ImportStore store;
    private final CampaignStore campaigns;
    private final int batchSize;
    private final int maxRows;
    private final ExecutorService workers;
    /** Imports running on this instance (state, not a cache); removed when each ends. */
    private final Map<Long, ImportProgress> running = new ConcurrentHashMap<>();

    private final MeterRegistry metrics;

    public RosterImporter(
            Pool pool, ImportStore store, CampaignStore campaigns, MeterRegistry metrics, RosterConfig rosterConfig) {
        this.campaigns = campaigns;
        int batchSize = rosterConfig.batchSize();
        int maxRows = rosterConfig.maxRows();
        int concurrent = rosterConfig.concurrentImports();
        this.pool = pool;
        this.store = store;
        this.metrics = metrics;
        // Registered at zero so that an alert on server failures has a series before the first one.
        for (String outcome : List.of("done", "file-refused", "failed")) {
            metrics.counter("phocap.roster.imports", "outcome", outcome);
        }
        this.batchSize = batchSize;
        this.maxRows = maxRows;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(concurrent, r -> {
            Thread thread = new Thread(r, "roster-import-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    void onStart(@Observes StartupEvent event) {
        store.failInterrupted().await().indefinitely();
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }

    void submit(Job job) {
        running.put(job.importId(), new ImportProgress(job.importId(), job.campaignId()));
        workers.submit(() -> run(job));
    }

    /** Runs the job in the calling (non event-loop) thread, for start-up work such as demo data. */
    void runHere(Job job) {
        running.put(job.importId(), new ImportProgress(job.importId(), job.campaignId()));
        run(job);
    }

    Optional<ImportProgress> progress(long importId) {
        return Optional.ofNullable(running.get(importId));
    }

    private void run(Job job) {
        ImportProgress progress = running.get(job.importId());
        long started = System.nanoTime();
        SqlConnection conn = null;
        try {
            conn = pool.getConnection().await().indefinitely();
            Transaction tx = conn.begin().await().indefinitely();
            try {
                if (!ImportStore.claim(conn, job.importId()).await().indefinitely()) {
                    tx.rollback().await().indefinitely();
                    LOG.infof(
                            "Import %d was marked failed by another instance's start before it ran; not run",
                            job.importId());
                    return;
                }
                importRows(conn, job, progress);
                ImportStatus done = progress.snapshot();
                ImportStore.finish(conn, job.importId(), done.total(), done.created(), done.updated(), done.rejected())
                        .await()
                        .indefinitely();
                tx.commit().await().indefinitely();
                metrics.counter("phocap.roster.rows", "outcome", "imported").increment(done.created() + done.updated());
                metrics.counter("phocap.roster.rows", "outcome", "rejected").increment(done.rejected());
                metrics.counter("phocap.roster.imports", "outcome", "done").increment();
                LOG.infof(
                        "Import %d done: %d rows (%d created, %d updated, %d rejected) in %d ms",
                        job.importId(),
                        done.total(),
                        done.created(),
                        done.updated(),
                        done.rejected(),
                        (System.nanoTime() - started) / 1_000_000);
            } catch (Throwable failure) {
                tx.rollback().onFailure().recoverWithNull().await().indefinitely();
                throw failure;
            }
        } catch (RosterFileException e) {
            fail(job, e.getMessage(), "file-refused");
        } catch (Throwable e) {
            SafeLog.error(LOG, "Import " + job.importId() + " failed", e);
            fail(
                    job,
                    "The import failed on the server; nothing from it was kept. Try again, or ask an operator.",
                    "failed");
        } finally {
            if (conn != null) {
                conn.close().await().indefinitely();
            }
            running.remove(job.importId());
            try {
                Files.deleteIfExists(job.file());
            } catch (IOException ignored) {
                // A temp file left behind is cleaned with the temp folder.
            }
        }
    }

    /** Outcome file-refused: the file was wrong (the uploader is told why); failed: the server's fault (alerted on). */
    private void fail(Job job, String message, String outcome) {
        metrics.counter("phocap.roster.imports", "outcome", outcome).increment();
        // The database may be what failed the import (a restart, a failover): the status is written
        // once it is back, on this import's own thread, so the uploader is not shown RUNNING for good.
        for (int attempt = 1; ; attempt++) {
            try {
                store.fail(job.importId(), message).await().indefinitely();
                return;
            } catch (RuntimeException e) {
                if (!Overload.transientDatabase(e) || attempt >= FAIL_ATTEMPTS) {
                    SafeLog.error(LOG, "Import " + job.importId() + " could not be marked failed", e);
                    return;
                }
            }
            try {
                Thread.sleep(Math.min(5_000, 500L * attempt));
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt(); // shutting down: the next start marks it failed
                return;
            }
        }
    }

    /** Tries to record a failed import over about two minutes of database outage. */
    private static final int FAIL_ATTEMPTS = 30;

    private void importRows(SqlConnection conn, Job job, ImportProgress progress) throws IOException {
        // New enrolments are counted for reports once, at the end, instead of batch by batch
        // (the enrolment trigger reads this setting; it lasts until the transaction ends). Which
        // enrolments are new is kept in a temporary table, not in the heap.
        conn.query("SET LOCAL phocap.defer_enrolment_counters = 'on'")
                .execute()
                .await()
                .indefinitely();
        conn.query("CREATE TEMPORARY TABLE import_new_enrolment (learner_id bigint NOT NULL) ON COMMIT DROP")
                .execute()
                .await()
                .indefinitely();
        Map<String, String> paths = new HashMap<>();
        for (Row row : conn.query("SELECT code, path FROM locality_view")
                .execute()
                .await()
                .indefinitely()) {
            paths.put(row.getString(0), row.getString(1));
        }
        RosterValidator validator = new RosterValidator(paths, job.scope());
        List<RosterRow> valid = new ArrayList<>(batchSize);
        List<Rejection> rejects = new ArrayList<>(batchSize);
        // One batch is written while this thread reads and checks the next one; statements reach
        // the connection in order, so each batch sees the ones before it.
        CompletableFuture<List<Rejection>> writing = CompletableFuture.completedFuture(List.of());
        int rows = 0;
        try (RowSource source = open(job)) {
            RawRow raw;
            while ((raw = source.next()) != null) {
                if (++rows > maxRows) {
                    throw new RosterFileException(
                            "The file has more than " + maxRows + " data rows; split it and import the parts.");
                }
                RosterValidator.Outcome outcome = validator.check(raw);
                if (outcome instanceof RosterValidator.Valid v) {
                    valid.add(v.row());
                } else if (outcome instanceof RosterValidator.Invalid i) {
                    rejects.add(i.rejection());
                    progress.rejected(i.rejection());
                }
                if (valid.size() >= batchSize || rejects.size() >= batchSize) {
                    rejects.addAll(finished(writing));
                    ImportStore.saveRejects(conn, job.importId(), rejects)
                            .await()
                            .indefinitely();
                    rejects.clear();
                    writing = write(conn, job, valid, progress).subscribeAsCompletionStage();
                    valid = new ArrayList<>(batchSize);
                }
            }
            rejects.addAll(finished(writing));
            rejects.addAll(write(conn, job, valid, progress).await().indefinitely());
        } catch (RuntimeException | IOException | Error failure) {
            // The caller rolls back: no statement of a batch may reach the connection after that.
            writing.handle((done, ignored) -> null).join();
            throw failure;
        }
        ImportStore.saveRejects(conn, job.importId(), rejects).await().indefinitely();
        countNewEnrolments(conn, job);
    }

    /** The batch's outcome, or its failure as thrown by the statement that failed. */
    private static <T> T finished(CompletableFuture<T> batch) {
        try {
            return batch.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Adds the enrolments this import created to the report counters, in one statement. They are
     * grouped by everything a counter depends on first, so the six counter dimensions multiply
     * groups rather than rows.
     */
    private static void countNewEnrolments(SqlConnection conn, Job job) {
        conn.preparedQuery("""
                        SELECT report_apply(coalesce(array_agg(r::report_change), '{}')) FROM (
                            SELECT e.campaign_id, le.locality_code, e.wave_id, e.nominated_by, e.target_group, le.gender,
                                   le.ethnicity, (le.activated_at IS NOT NULL)::int AS activated,
                                   (e.started_at IS NOT NULL)::int AS started, (e.completed_at IS NOT NULL)::int AS completed,
                                   count(*)::int AS sign
                            FROM import_new_enrolment n
                            JOIN enrolment_view e ON e.campaign_id = $1 AND e.learner_id = n.learner_id
                            JOIN learner le ON le.id = e.learner_id
                            GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10) r""").execute(Tuple.of(job.campaignId())).await().indefinitely();
        conn.query("SET LOCAL phocap.defer_enrolment_counters = 'off'")
                .execute()
                .await()
                .indefinitely();
    }

    /**
     * Learners are keyed by phone, so a row naming an enrolled phone changes that learner. That is
     * allowed only inside the importer's scope (else a supporter could pull anyone into their district
     * and hand out a new activation code), and only for the same person: a row whose name and birth
     * year both differ is a family member sharing the phone, refused unless same_person says otherwise.
     */
    private static Uni<List<RosterRow>> identityChecked(
            SqlConnection conn, Scope scope, List<RosterRow> rows, Consumer<Rejection> reject) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(rows);
        }
        return conn.preparedQuery("""
                        SELECT le.phone, l.path, le.full_name, le.birth_year
                        FROM learner le JOIN locality_view l ON l.code = le.locality_code WHERE le.phone = ANY($1)""")
                .execute(Tuple.of(rows.stream().map(RosterRow::phone).toArray(String[]::new)))
                .map(found -> {
                    if (found.size() == 0) {
                        return rows;
                    }
                    Map<String, Row> existing = new HashMap<>();
                    found.forEach(row -> existing.put(row.getString(0), row));
                    List<RosterRow> allowed = new ArrayList<>(rows.size());
                    for (RosterRow row : rows) {
                        Row known = existing.get(row.phone());
                        if (known == null) {
                            allowed.add(row);
                        } else if (!scope.covers(known.getString(1))) {
                            reject.accept(RosterValidator.rejection(
                                    row.line(),
                                    RosterField.PHONE,
                                    "this phone belongs to a learner of another locality; ask a staff member whose scope"
                                            + " covers both",
                                    row.raw()));
                        } else if (!row.samePerson()
                                && !sameName(known.getString(2), row.fullName())
                                && row.birthYear() != null
                                && known.getInteger(3) != null
                                && !row.birthYear().equals(known.getInteger(3))) {
                            reject.accept(RosterValidator.rejection(
                                    row.line(),
                                    RosterField.PHONE,
                                    "this phone is enrolled for a person with another name and birth year (families"
                                            + " often share a phone); if it is the same person, put 'yes' in a"
                                            + " same_person column",
                                    row.raw()));
                        } else {
                            allowed.add(row);
                        }
                    }
                    return allowed;
                });
    }

    private static boolean sameName(String a, String b) {
        return a.strip().replaceAll("\\s+", " ").equalsIgnoreCase(b.strip().replaceAll("\\s+", " "));
    }

    private RowSource open(Job job) throws IOException {
        if (job.format() == Format.XLSX) {
            return new XlsxRowSource(job.file());
        }
        Charset charset = job.charset() != null ? job.charset() : TextDecoding.detect(job.file());
        return new CsvRowSource(TextDecoding.open(job.file(), charset));
    }

    /**
     * Upserts learners by phone, then their enrolment in the campaign; counts by enrolment. Rows
     * whose phone already belongs to someone the importer may not change come back as rejects.
     * Runs without blocking: the caller reads the next batch meanwhile.
     */
    private Uni<List<Rejection>> write(SqlConnection conn, Job job, List<RosterRow> rows, ImportProgress progress) {
        List<Rejection> refused = new ArrayList<>();
        return identityChecked(conn, job.scope(), rows, rejected -> {
                    refused.add(rejected);
                    progress.rejected(rejected);
                })
                .flatMap(batch -> batch.isEmpty() ? Uni.createFrom().voidItem() : upsert(conn, job, batch, progress))
                .replaceWith(refused);
    }

    private Uni<Void> upsert(SqlConnection conn, Job job, List<RosterRow> batch, ImportProgress progress) {
        return conn.preparedQuery("""
                        INSERT INTO learner (phone, full_name, birth_year, gender, ethnicity, locality_code, national_id,
                                             activation_code)
                        SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::int[], $4::varchar[], $5::varchar[],
                                             $6::varchar[], $7::varchar[], $8::varchar[])
                        ON CONFLICT (phone) DO UPDATE SET
                            full_name = excluded.full_name,
                            birth_year = coalesce(excluded.birth_year, learner.birth_year),
                            gender = coalesce(excluded.gender, learner.gender),
                            ethnicity = coalesce(excluded.ethnicity, learner.ethnicity),
                            locality_code = excluded.locality_code,
                            national_id = coalesce(excluded.national_id, learner.national_id),
                            updated_at = now()
                        RETURNING id, phone""")
                .execute(Tuple.from(new Object[] {
                    batch.stream().map(RosterRow::phone).toArray(String[]::new),
                    batch.stream().map(RosterRow::fullName).toArray(String[]::new),
                    batch.stream().map(RosterRow::birthYear).toArray(Integer[]::new),
                    batch.stream().map(RosterRow::gender).toArray(String[]::new),
                    batch.stream().map(RosterRow::ethnicity).toArray(String[]::new),
                    batch.stream().map(RosterRow::localityCode).toArray(String[]::new),
                    batch.stream().map(RosterRow::nationalId).toArray(String[]::new),
                    batch.stream().map(r -> ActivationCodes.next()).toArray(String[]::new)
                }))
                .flatMap(learners -> {
                    Map<String, Long> ids = new HashMap<>(batch.size() * 2);
                    learners.forEach(row -> ids.put(row.getString(1), row.getLong(0)));
                    return campaigns.enrolImported(
                            conn,
                            job.campaignId(),
                            job.importId(),
                            batch.stream().map(r -> ids.get(r.phone())).toArray(Long[]::new),
                            batch.stream().map(RosterRow::nominatedBy).toArray(String[]::new),
                            batch.stream().map(RosterRow::targetGroup).toArray(String[]::new));
                })
                .flatMap(created -> {
                    progress.written(created.size(), batch.size() - created.size());
                    if (created.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    return conn.preparedQuery("INSERT INTO import_new_enrolment SELECT unnest($1::bigint[])")
                            .execute(Tuple.of(created.toArray(Long[]::new)))
                            .replaceWithVoid();
                });
    }
}
