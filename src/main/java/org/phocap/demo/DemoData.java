package org.phocap.demo;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
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
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.phocap.auth.Role;
import org.phocap.auth.Subject;
import org.phocap.campaign.CampaignDtos.AssignLearners;
import org.phocap.campaign.CampaignDtos.CreateCampaign;
import org.phocap.campaign.CampaignDtos.CreateWave;
import org.phocap.campaign.CampaignService;
import org.phocap.campaign.WaveService;
import org.phocap.course.CoursePackage;
import org.phocap.course.CoursePackageZip;
import org.phocap.locality.LocalityService;
import org.phocap.locality.Scope;
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
    private final CampaignService campaignService;
    private final WaveService waveService;
    private final int finished;

    public DemoData(
            Pool pool,
            LocalityService localities,
            RosterService roster,
            CoursePackageZip zips,
            com.fasterxml.jackson.databind.ObjectMapper json,
            DemoConfig demoConfig,
            DemoCompletions completions,
            CampaignService campaignService,
            WaveService waveService) {
        this.campaignService = campaignService;
        this.waveService = waveService;
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
        // Any campaign besides the demo's is a real deployment's data: the demo never touches it.
        Row state = pool.preparedQuery("""
                        SELECT count(*) FILTER (WHERE name <> $1) AS others, min(id) FILTER (WHERE name = $1) AS demo,
                               min(course_ids[1]) FILTER (WHERE name = $1) AS course,
                               coalesce(min(certificates_issued) FILTER (WHERE name = $1), 0) AS issued
                        FROM campaign_view""")
                .execute(Tuple.of(CAMPAIGN_NAME))
                .await()
                .indefinitely()
                .iterator()
                .next();
        if (state.getLong("others") > 0) {
            return;
        }
        Long demo = state.getLong("demo");
        if (demo != null && enrolled(demo) >= learners && state.getInteger("issued") >= finished) {
            return;
        }
        long courseId;
        long campaignId;
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        if (demo == null) {
            LOG.info("Demo mode: loading the sample province, course, campaign, waves and roster");
            localities.importCsv(DemoProvince.csv(), Scope.everything()).await().indefinitely();
            courseId = zips.publish(new java.io.ByteArrayInputStream(sampleCourseZip()))
                    .course()
                    .id();
            campaignId = onContext(() -> campaignService.create(
                            new CreateCampaign(
                                    CAMPAIGN_NAME,
                                    today.atZone(ZoneOffset.UTC).getYear(),
                                    DemoProvince.PROVINCE,
                                    List.of(courseId),
                                    learners,
                                    "VP",
                                    "Ủy ban nhân dân tỉnh Vĩnh Phúc"),
                            Scope.everything()))
                    .id();
        } else {
            // A start that died part-way (a kill, a power cut) left the campaign: every step below
            // is safe to repeat, so the load goes on where it stopped instead of leaving a demo
            // whose example learners cannot sign in.
            LOG.info("Demo mode: finishing a demo load that an earlier start did not complete");
            courseId = state.getLong("course");
            campaignId = demo;
        }
        Row admin = pool.query("SELECT id, username FROM staff_account_view WHERE role = 'ADMIN' ORDER BY id LIMIT 1")
                .execute()
                .await()
                .indefinitely()
                .iterator()
                .next();
        long adminId = admin.getLong("id");
        Subject adminSubject = new Subject(
                Subject.Kind.STAFF, adminId, admin.getString("username"), Role.ADMIN, List.of(Scope.WHOLE_TREE));
        long wave1 = wave(campaignId, "Đợt 1", today.minus(1, ChronoUnit.DAYS), today.plus(6, ChronoUnit.DAYS));
        long wave2 = wave(campaignId, "Đợt 2", today.plus(7, ChronoUnit.DAYS), today.plus(14, ChronoUnit.DAYS));
        // The roster import upserts by phone: repeating it after an interrupted one changes nothing twice.
        ImportStatus imported =
                enrolled(campaignId) >= learners ? null : roster.importNow(campaignId, adminId, generatedRoster());
        // The first half of the districts study in the first wave, the rest in the second.
        List<String> districts = DemoProvince.districtCodes();
        assign(
                campaignId,
                wave1,
                new AssignLearners(districts.subList(0, districts.size() / 2), null, null),
                adminSubject);
        assign(
                campaignId,
                wave2,
                new AssignLearners(districts.subList(districts.size() / 2, districts.size()), null, null),
                adminSubject);
        // The roster's first rows are the README's examples (the first lines of the code file): they
        // study in the open wave, wherever they live, so a newcomer's first learner can study today.
        List<Long> examples = new ArrayList<>();
        pool.preparedQuery("SELECT learner_id FROM enrolment_view WHERE campaign_id = $1 ORDER BY learner_id LIMIT $2")
                .execute(Tuple.of(campaignId, EXAMPLE_LEARNERS))
                .await()
                .indefinitely()
                .forEach(row -> examples.add(row.getLong(0)));
        assign(campaignId, wave1, new AssignLearners(null, examples, null), adminSubject);
        LOG.infof(
                "Demo mode: campaign %d with waves %d and %d; %d learners enrolled%s",
                campaignId,
                wave1,
                wave2,
                enrolled(campaignId),
                imported == null ? "" : " (roster import " + imported.id() + ", " + imported.rejected() + " rejected)");
        completions.finish(campaignId, wave1, courseId, finished);
    }

    /** The campaign's wave of this name, made now unless an interrupted load made it already. */
    private long wave(long campaignId, String name, Instant opens, Instant closes) {
        var existing = pool.preparedQuery("SELECT min(id) FROM wave_view WHERE campaign_id = $1 AND name = $2")
                .execute(Tuple.of(campaignId, name))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
        if (existing != null) {
            return existing;
        }
        return onContext(() -> waveService.create(
                        campaignId, new CreateWave(name, opens, closes, learners, null), Scope.everything()))
                .id();
    }

    private long enrolled(long campaignId) {
        return pool.preparedQuery("SELECT count(*) FROM enrolment_view WHERE campaign_id = $1")
                .execute(Tuple.of(campaignId))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }

    private void assign(long campaignId, long waveId, AssignLearners who, Subject admin) {
        onContext(() -> waveService.assign(campaignId, waveId, who, Scope.everything(), admin));
    }

    /** Runs a service call (Panache needs a Vert.x context) from this start-up thread and waits for it. */
    private static <T> T onContext(Supplier<Uni<T>> call) {
        try {
            return VertxContextSupport.subscribeAndAwait(call);
        } catch (Throwable e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
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
