package org.phocap.roster;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.phocap.auth.CurrentUser;
import org.phocap.auth.Role;
import org.phocap.platform.ApiTags;
import org.phocap.platform.ProblemException;

/** The learner's own profile: who they are, which campaigns they are in, and when their wave runs. */
@Tag(name = ApiTags.ROSTERS, description = ApiTags.ROSTERS_ABOUT)
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.LEARNER)
public class MeResource {
    private final Pool pool;
    private final CurrentUser user;

    public MeResource(Pool pool, CurrentUser user) {
        this.pool = pool;
        this.user = user;
    }

    public record WaveWindow(long id, String name, Instant opensAt, Instant closesAt, int graceMinutes, boolean open) {}

    public record MyCampaign(long id, String name, int year, List<Long> courseIds, WaveWindow wave) {}

    public record Me(
            long id,
            String fullName,
            String phone,
            String localityCode,
            String localityName,
            List<MyCampaign> campaigns) {}

    @GET
    @Operation(summary = "The learner's profile, campaigns, and each campaign's wave with its window")
    public Uni<Me> me() {
        long id = user.subject().id();
        return pool.preparedQuery("""
                        SELECT le.id, le.full_name, le.phone, le.locality_code, lo.name AS locality_name,
                               c.id AS campaign_id, c.name AS campaign_name, c.year, c.course_ids,
                               w.id AS wave_id, w.name AS wave_name, w.opens_at, w.closes_at, w.grace_minutes
                        FROM learner le JOIN locality_view lo ON lo.code = le.locality_code
                        LEFT JOIN enrolment_view e ON e.learner_id = le.id
                        LEFT JOIN campaign_view c ON c.id = e.campaign_id
                        LEFT JOIN wave_view w ON w.id = e.wave_id
                        WHERE le.id = $1 ORDER BY c.year DESC, c.id""").execute(Tuple.of(id)).map(rows -> {
            if (rows.size() == 0) {
                throw ProblemException.notFound("No such learner.");
            }
            Instant now = Instant.now();
            List<MyCampaign> campaigns = new ArrayList<>();
            Row first = null;
            for (Row r : rows) {
                first = first == null ? r : first;
                if (r.getLong("campaign_id") != null) {
                    campaigns.add(new MyCampaign(
                            r.getLong("campaign_id"),
                            r.getString("campaign_name"),
                            r.getInteger("year"),
                            List.of(r.getArrayOfLongs("course_ids")),
                            wave(r, now)));
                }
            }
            return new Me(
                    first.getLong("id"),
                    first.getString("full_name"),
                    first.getString("phone"),
                    first.getString("locality_code"),
                    first.getString("locality_name"),
                    campaigns);
        });
    }

    private static WaveWindow wave(Row r, Instant now) {
        if (r.getLong("wave_id") == null) {
            return null;
        }
        Instant opens = r.getOffsetDateTime("opens_at").toInstant();
        OffsetDateTime closes = r.getOffsetDateTime("closes_at");
        int grace = r.getInteger("grace_minutes");
        boolean open = !now.isBefore(opens) && now.isBefore(closes.toInstant().plusSeconds(grace * 60L));
        return new WaveWindow(r.getLong("wave_id"), r.getString("wave_name"), opens, closes.toInstant(), grace, open);
    }
}
