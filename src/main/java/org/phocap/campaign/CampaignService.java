package org.phocap.campaign;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.phocap.campaign.CampaignDtos.CampaignView;
import org.phocap.campaign.CampaignDtos.CreateCampaign;
import org.phocap.locality.LocalityService;
import org.phocap.locality.Scope;
import org.phocap.platform.Page;
import org.phocap.platform.ProblemException;

@ApplicationScoped
public class CampaignService {
    private final Pool pool;
    private final LocalityService localities;
    private final CampaignAccess access;

    public CampaignService(Pool pool, LocalityService localities, CampaignAccess access) {
        this.pool = pool;
        this.localities = localities;
        this.access = access;
    }

    public Uni<CampaignView> create(CreateCampaign request, Scope scope) {
        Long[] courseIds = request.courseIds().stream().distinct().toArray(Long[]::new);
        return localities
                .named(request.localityCode(), scope, "localityCode")
                .flatMap(locality -> pool.preparedQuery("SELECT count(*) FROM course_view WHERE id = ANY($1)")
                        .execute(Tuple.of((Object) courseIds))
                        .map(found -> {
                            if (found.iterator().next().getLong(0) != courseIds.length) {
                                throw ProblemException.invalid("courseIds", "unknown course id(s)");
                            }
                            return locality;
                        }))
                .flatMap(locality -> prefix(request, locality.name()).map(prefix -> Map.entry(locality, prefix)))
                .flatMap(chosen -> Panache.withTransaction(() -> {
                    var locality = chosen.getKey();
                    Campaign campaign = new Campaign();
                    campaign.name = request.name().strip();
                    campaign.year = request.year();
                    campaign.localityCode = request.localityCode();
                    campaign.courseIds = courseIds;
                    campaign.targetLearners = request.targetLearners();
                    campaign.certificatePrefix = chosen.getValue();
                    campaign.issuingBody = request.issuingBody() != null
                                    && !request.issuingBody().isBlank()
                            ? request.issuingBody().strip()
                            : "Ủy ban nhân dân " + locality.name();
                    return campaign.<Campaign>persist();
                }))
                .flatMap(saved -> get(saved.id, scope));
    }

    /**
     * The campaign's certificate prefix, free among the campaigns of its year so that serials never
     * collide: the one asked for (400 when taken), or the locality's initials with the first free
     * number appended (VP, VP2, VP3, ...).
     */
    private Uni<String> prefix(CreateCampaign request, String localityName) {
        String asked = request.certificatePrefix();
        String base = asked != null ? asked : CertificatePrefixes.defaultPrefix(localityName);
        return pool.preparedQuery(
                        "SELECT certificate_prefix FROM campaign WHERE year = $1 AND certificate_prefix LIKE $2")
                .execute(Tuple.of(request.year(), base.substring(0, Math.min(base.length(), 6)) + "%"))
                .map(rows -> {
                    java.util.Set<String> taken = new java.util.HashSet<>();
                    rows.forEach(r -> taken.add(r.getString(0)));
                    if (asked != null) {
                        if (taken.contains(asked)) {
                            throw ProblemException.invalid(
                                    "certificatePrefix", "already used by another campaign of " + request.year());
                        }
                        return asked;
                    }
                    for (int n = 1; ; n++) {
                        String suffix = n == 1 ? "" : String.valueOf(n);
                        String candidate = base.substring(0, Math.min(base.length(), 8 - suffix.length())) + suffix;
                        if (!taken.contains(candidate)) {
                            return candidate;
                        }
                    }
                });
    }

    public Uni<CampaignView> get(long id, Scope scope) {
        return access.require(id, scope)
                .flatMap(ok -> pool.preparedQuery("""
                        SELECT c.*, (SELECT count(*) FROM enrolment e WHERE e.campaign_id = c.id) AS enrolled
                        FROM campaign c WHERE c.id = $1""")
                        .execute(Tuple.of(id))
                        .map(rows -> toView(rows.iterator().next())));
    }

    public Uni<Page<CampaignView>> list(Scope scope, int page, int size) {
        return pool.preparedQuery("""
                        SELECT c.*, (SELECT count(*) FROM enrolment e WHERE e.campaign_id = c.id) AS enrolled,
                               count(*) OVER () AS total
                        FROM campaign c JOIN locality_view l ON l.code = c.locality_code
                        WHERE """ + CampaignAccess.visibleTo("$1") + """
                         ORDER BY c.id DESC LIMIT $2 OFFSET $3""")
                .execute(Tuple.of(scope.paths(), size, (long) page * size))
                .map(rows -> Page.of(rows, CampaignService::toView, page, size));
    }

    private static CampaignView toView(Row row) {
        Long[] courses = row.getArrayOfLongs("course_ids");
        return new CampaignView(
                row.getLong("id"),
                row.getString("name"),
                row.getInteger("year"),
                row.getString("locality_code"),
                courses == null ? List.of() : List.of(courses),
                row.getInteger("target_learners"),
                row.getLong("enrolled"),
                row.getString("certificate_prefix"),
                row.getString("issuing_body"),
                row.getOffsetDateTime("created_at").toInstant());
    }
}
