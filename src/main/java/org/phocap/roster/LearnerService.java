package org.phocap.roster;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.phocap.campaign.CampaignAccess;
import org.phocap.locality.Scope;
import org.phocap.platform.Page;
import org.phocap.platform.ProblemException;

/** Staff reads of learners, always cut to the caller's scope (outside it: 404). */
@ApplicationScoped
public class LearnerService {
    private static final String COLUMNS = "le.id, le.full_name, le.phone, le.birth_year, le.gender, le.ethnicity, "
            + "le.locality_code, le.activated_at";

    private final Pool pool;
    private final CampaignAccess access;

    public LearnerService(Pool pool, CampaignAccess access) {
        this.pool = pool;
        this.access = access;
    }

    public Uni<LearnerView> get(long id, Scope scope) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM learner le JOIN locality l ON l.code = le.locality_code "
                        + "WHERE le.id = $1 AND l.path LIKE ANY($2)")
                .execute(Tuple.of(id, scope.patterns()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.notFound("No learner " + id + " in your scope.");
                    }
                    return LearnerView.of(rows.iterator().next());
                });
    }

    public Uni<Page<LearnerView>> enrolled(long campaignId, Scope scope, String localityCode, int page, int size) {
        return access.require(campaignId, scope).flatMap(ok -> pool.preparedQuery("SELECT " + COLUMNS
                        + ", count(*) OVER () AS total FROM enrolment e JOIN learner le ON le.id = e.learner_id "
                        + "JOIN locality l ON l.code = le.locality_code "
                        + "WHERE e.campaign_id = $1 AND l.path LIKE ANY($2) "
                        + "AND ($3::varchar IS NULL OR starts_with(l.path, (SELECT path FROM locality WHERE code = $3))) "
                        + "ORDER BY le.id LIMIT $4 OFFSET $5")
                .execute(Tuple.from(new Object[] {campaignId, scope.patterns(), localityCode, size, (long) page * size}))
                .map(rows -> Page.of(rows, LearnerView::of, page, size)));
    }
}
