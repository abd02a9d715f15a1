package org.phocap.roster;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.phocap.audit.AuditLog;
import org.phocap.auth.Subject;
import org.phocap.campaign.CampaignAccess;
import org.phocap.locality.LocalityService;
import org.phocap.locality.Scope;
import org.phocap.platform.CsvExport;
import org.phocap.platform.CsvLines;
import org.phocap.platform.ProblemException;

/** Starts imports and answers what they did. */
@ApplicationScoped
public class RosterService {
    private static final int CSV_PAGE = 2000;

    private final ImportStore store;
    private final RosterImporter importer;
    private final CampaignAccess access;
    private final LocalityService localities;
    private final AuditLog audit;

    public RosterService(
            ImportStore store,
            RosterImporter importer,
            CampaignAccess access,
            LocalityService localities,
            AuditLog audit) {
        this.audit = audit;
        this.store = store;
        this.importer = importer;
        this.access = access;
        this.localities = localities;
    }

    /** Blocking: called from a worker thread once the upload sits on disk. */
    long start(
            long campaignId,
            Subject staff,
            Scope scope,
            Path file,
            String fileName,
            String contentType,
            String charsetParameter) {
        try {
            access.require(campaignId, scope).await().indefinitely();
            var charset = RosterUploads.charset(charsetParameter, contentType);
            var format = RosterUploads.format(file, contentType, fileName);
            long importId = store.create(campaignId, staff.id(), fileName, format.name())
                    .await()
                    .indefinitely();
            audit.record(
                            staff,
                            new AuditLog.Entry(
                                    "roster-import-started",
                                    null,
                                    campaignId,
                                    null,
                                    Map.of("importId", importId, "format", format.name())))
                    .await()
                    .indefinitely();
            importer.submit(new RosterImporter.Job(importId, campaignId, file, format, charset, scope));
            return importId;
        } catch (RuntimeException e) {
            RosterUploads.discard(file);
            throw e;
        }
    }

    /** Blocking: imports a CSV file already on disk, for start-up work (the demo roster). */
    public ImportStatus importNow(long campaignId, long staffId, Path csv) {
        long importId = store.create(campaignId, staffId, csv.getFileName().toString(), "CSV")
                .await()
                .indefinitely();
        importer.runHere(new RosterImporter.Job(
                importId, campaignId, csv, RosterImporter.Format.CSV, StandardCharsets.UTF_8, Scope.everything()));
        return store.load(importId, true).await().indefinitely();
    }

    public Uni<ImportStatus> status(long importId, Scope scope) {
        return rowsVisible(importId, scope).flatMap(withRows -> currentStatus(importId, withRows));
    }

    /** 404 unless the caller sees the import's campaign. */
    Uni<Void> requireVisible(long importId, Scope scope) {
        return store.requireVisible(importId, scope).replaceWithVoid();
    }

    /**
     * 404 unless the caller sees the import's campaign; then whether they may read its rejected rows
     * (names, phones, ID numbers): only staff whose scope covers the importer's, the importer included.
     */
    Uni<Boolean> rowsVisible(long importId, Scope scope) {
        return store.requireVisible(importId, scope)
                .flatMap(visible -> localities.scopeOf(visible.importerScope()))
                .map(scope::covers);
    }

    Uni<ImportStatus> currentStatus(long importId, boolean withRows) {
        return store.load(importId, withRows)
                .map(stored -> importer.progress(importId)
                        .filter(p -> !stored.finished())
                        .map(ImportProgress::snapshot)
                        .map(running -> withRows ? running : running.withoutErrors())
                        .orElse(stored));
    }

    public Uni<String> rejectedCsv(long importId, Scope scope) {
        return rowsVisible(importId, scope).flatMap(withRows -> {
            if (!withRows) {
                throw ProblemException.notFound("The rejected rows of import " + importId
                        + " are shown to its importer and to staff whose scope covers the importer's.");
            }
            return collect(
                    "line,field,message,row\n",
                    (after, limit) -> store.rejects(importId, after.intValue(), limit),
                    r -> (long) r.line(),
                    r -> CsvLines.line(String.valueOf(r.line()), r.field(), r.message(), r.raw()));
        });
    }

    public Uni<String> activationCodesCsv(long importId, Scope scope) {
        return store.requireVisible(importId, scope)
                .flatMap(c -> collect(
                        "name,phone,locality,code\n",
                        (after, limit) -> store.activationCodes(importId, scope, after, limit),
                        ImportStore.CodeLine::learnerId,
                        l -> CsvLines.line(l.name(), l.phone(), l.locality(), l.code())));
    }

    /** Reads a keyed table page by page (never all rows in one query) into one CSV text. */
    private static <T> Uni<String> collect(
            String header,
            BiFunction<Long, Integer, Uni<List<T>>> page,
            Function<T, Long> key,
            Function<T, String> line) {
        long[] after = {0};
        return CsvExport.stream(
                        header,
                        () -> page.apply(after[0], CSV_PAGE).invoke(items -> {
                            if (!items.isEmpty()) {
                                after[0] = key.apply(items.get(items.size() - 1));
                            }
                        }),
                        CSV_PAGE,
                        line)
                .collect()
                .with(Collectors.joining());
    }
}
