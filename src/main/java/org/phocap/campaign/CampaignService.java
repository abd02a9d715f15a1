package org.phocap.campaign;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.phocap.campaign.CampaignDtos.CampaignView;
import org.phocap.campaign.CampaignDtos.CreateCampaign;
import org.phocap.certificate.Serials;
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
        return localities.get(request.localityCode(), scope)
                .onFailure(ProblemException.class).transform(e ->
                        ProblemException.invalid("localityCode", "unknown locality, or outside your scope"))
                .flatMap(locality -> pool.preparedQuery("SELECT count(*) FROM course WHERE id = ANY($1)")
                        .execute(Tuple.of((Object) courseIds))
                        .map(found -> {
                            if (found.iterator().next().getLong(0) != courseIds.length) {
                                throw ProblemException.invalid("courseIds", "unknown course id(s)");
                            }
                            return locality;
                        }))
                .flatMap(locality -> Panache.withTransaction(() -> {
                    Campaign campaign = new Campaign();
                    campaign.name = request.name().strip();
                    campaign.year = request.year();
                    campaign.localityCode = request.localityCode();
                    campaign.courseIds = courseIds;
                    campaign.targetLearners = request.targetLearners();
                    campaign.certificatePrefix = request.certificatePrefix() != null ? request.certificatePrefix()
                            : Serials.defaultPrefix(locality.name());
                    campaign.issuingBody = request.issuingBody() != null && !request.issuingBody().isBlank()
                            ? request.issuingBody().strip() : "Ủy ban nhân dân " + locality.name();
                    return campaign.<Campaign>persist();
                }))
                .flatMap(saved -> get(saved.id, scope));
    }

    public Uni<CampaignView> get(long id, Scope scope) {
        return access.require(id, scope).flatMap(ok -> pool.preparedQuery("""
                        SELECT c.*, (SELECT count(*) FROM enrolment e WHERE e.campaign_id = c.id) AS enrolled
                        FROM campaign c WHERE c.id = $1""")
                .execute(Tuple.of(id))
                .map(rows -> toView(rows.iterator().next())));
    }

    public Uni<Page<CampaignView>> list(Scope scope, int page, int size) {
        return pool.preparedQuery("""
                        SELECT c.*, (SELECT count(*) FROM enrolment e WHERE e.campaign_id = c.id) AS enrolled,
                               count(*) OVER () AS total
                        FROM campaign c JOIN locality l ON l.code = c.locality_code
                        WHERE """ + CampaignAccess.visibleTo("$1") + """
                         ORDER BY c.id DESC LIMIT $2 OFFSET $3""")
                .execute(Tuple.of(scope.patterns(), size, (long) page * size))
                .map(rows -> Page.of(rows, CampaignService::toView, page, size));
    }

    private static CampaignView toView(Row row) {
        Long[] courses = row.getArrayOfLongs("course_ids");
        return new CampaignView(row.getLong("id"), row.getString("name"), row.getInteger("year"),
                row.getString("locality_code"), courses == null ? List.of() : List.of(courses),
                row.getInteger("target_learners"), row.getLong("enrolled"), row.getString("certificate_prefix"),
                row.getString("issuing_body"),
                row.getOffsetDateTime("created_at").toInstant());
    }
}
