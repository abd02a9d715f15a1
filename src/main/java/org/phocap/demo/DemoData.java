package org.phocap.demo;

import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jboss.logging.Logger;
import org.phocap.course.CoursePackage;
import org.phocap.course.CoursePackageZip;
import org.phocap.locality.LocalityService;
import org.phocap.roster.ImportStatus;
import org.phocap.roster.RosterService;

/**
 * Demo mode (on by default in the embedded setup, off in prod): on a database without campaigns,
 * loads the sample province, a campaign with two waves and a generated roster, through the same
 * services the API uses, so a newcomer can try every call at once.
 */
@ApplicationScoped
public class DemoData {
    private static final Logger LOG = Logger.getLogger(DemoData.class);
    static final String CAMPAIGN_NAME = "Phổ cập kỹ năng số - Vĩnh Phúc (demo)";
    static final String SAMPLE_COURSE = "demo/kns-co-ban/";
    /** How many of the roster's first rows study in the open wave whatever their district. */
    static final int EXAMPLE_LEARNERS = 10;

    private final Pool pool;
    private final LocalityService localities;
    private final RosterService roster;
    private final CoursePackageZip zips;
    private final com.fasterxml.jackson.databind.ObjectMapper json;
    private final boolean enabled;
    private final int learners;
    private final DemoCompletions completions;
    private final int finished;

    public DemoData(
            Pool pool,
            LocalityService localities,
            RosterService roster,
            CoursePackageZip zips,
            com.fasterxml.jackson.databind.ObjectMapper json,
            DemoConfig demoConfig,
            DemoCompletions completions) {
        boolean enabled = demoConfig.enabled();
        int learners = demoConfig.learners();
        int finished = demoConfig.finishedLearners();
        this.pool = pool;
        this.localities = localities;
        this.roster = roster;
        this.zips = zips;
        this.json = json;
        this.enabled = enabled;
        this.learners = learners;
        this.completions = completions;
        this.finished = finished;
    }

    void onStart(@Observes @Priority(100) StartupEvent event) {
        if (!enabled) {
            return;
        }
        long campaigns = pool.query("SELECT count(*) FROM campaign")
                .execute()
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
        if (campaigns > 0) {
            return;
        }
        LOG.info("Demo mode: loading the sample province, course, campaign, waves and roster");
        localities
                .importCsv(DemoProvince.csv(), org.phocap.locality.Scope.everything())
                .await()
                .indefinitely();
        long courseId = zips.publish(new java.io.ByteArrayInputStream(sampleCourseZip()))
                .course()
                .id();
        long adminId = pool.query("SELECT min(id) FROM staff_account WHERE role = 'ADMIN'")
                .execute()
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        long campaignId = pool.preparedQuery("""
                        INSERT INTO campaign (name, year, locality_code, course_ids, target_learners, certificate_prefix, issuing_body)
                        VALUES ($1, $2, $3, ARRAY[$5::bigint], $4, 'VP', 'Ủy ban nhân dân tỉnh Vĩnh Phúc') RETURNING id""")
                .execute(Tuple.of(
                        CAMPAIGN_NAME,
                        today.atZone(java.time.ZoneOffset.UTC).getYear(),
                        DemoProvince.PROVINCE,
                        learners,
                        courseId))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
        long wave1 = wave(campaignId, "Đợt 1", today.minus(1, ChronoUnit.DAYS), today.plus(6, ChronoUnit.DAYS));
        long wave2 = wave(campaignId, "Đợt 2", today.plus(7, ChronoUnit.DAYS), today.plus(14, ChronoUnit.DAYS));
        ImportStatus imported = roster.importNow(campaignId, adminId, generatedRoster());
        // The first half of the districts study in the first wave, the rest in the second.
        List<String> districts = DemoProvince.districtCodes();
        assign(campaignId, wave1, districts.subList(0, districts.size() / 2));
        assign(campaignId, wave2, districts.subList(districts.size() / 2, districts.size()));
        // The roster's first rows are the README's examples (the first lines of the code file): they
        // study in the open wave, wherever they live, so a newcomer's first learner can study today.
        pool.preparedQuery("""
                        UPDATE enrolment SET wave_id = $1 WHERE campaign_id = $2 AND learner_id IN (
                            SELECT learner_id FROM enrolment WHERE campaign_id = $2 ORDER BY learner_id LIMIT $3)""")
                .execute(Tuple.of(wave1, campaignId, EXAMPLE_LEARNERS))
                .await()
                .indefinitely();
        LOG.infof(
                "Demo mode: campaign %d with waves %d and %d; roster import %d: %d learners (%d rejected)",
                campaignId, wave1, wave2, imported.id(), imported.created() + imported.updated(), imported.rejected());
        completions.finish(campaignId, wave1, courseId, finished);
    }

    private long wave(long campaignId, String name, Instant opens, Instant closes) {
        return pool.preparedQuery("""
                        INSERT INTO wave (campaign_id, name, opens_at, closes_at, capacity)
                        VALUES ($1, $2, $3, $4, $5) RETURNING id""")
                .execute(Tuple.of(
                        campaignId,
                        name,
                        opens.atOffset(java.time.ZoneOffset.UTC),
                        closes.atOffset(java.time.ZoneOffset.UTC),
                        learners))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }

    private void assign(long campaignId, long waveId, List<String> districts) {
        pool.preparedQuery("""
                        UPDATE enrolment e SET wave_id = $1 FROM learner le
                        WHERE e.learner_id = le.id AND e.campaign_id = $2 AND split_part(le.locality_code, '-', 1) LIKE ANY($3)""")
                .execute(Tuple.of(
                        waveId, campaignId, districts.stream().map(d -> d + "%").toArray(String[]::new)))
                .await()
                .indefinitely();
    }

    /** The sample course folder on the classpath, zipped as an admin would upload it. */
    private byte[] sampleCourseZip() {
        try {
            byte[] manifest = resource(SAMPLE_COURSE + "course.json");
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
                zip.putNextEntry(new java.util.zip.ZipEntry("course.json"));
                zip.write(manifest);
                for (var module : json.readValue(manifest, CoursePackage.class).modules()) {
                    for (var lesson : module.lessons()) {
                        if (lesson.media() != null) {
                            zip.putNextEntry(new java.util.zip.ZipEntry(lesson.media()));
                            zip.write(resource(SAMPLE_COURSE + lesson.media()));
                        }
                    }
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (var in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return in.readAllBytes();
        }
    }

    private Path generatedRoster() {
        try {
            Path file = Files.createTempFile("phocap-demo-roster-", ".csv");
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                RosterGenerator.write(out, learners, 10_000_000L, 2023);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
