package org.phocap.campaign;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.phocap.locality.Scope;
import org.phocap.platform.ProblemException;

/**
 * A campaign is visible to staff whose scope overlaps its locality: the campaign lies inside the
 * scope, or part of the scope lies inside the campaign (a district supporter in a province campaign).
 */
@ApplicationScoped
public class CampaignAccess {
    /** SQL condition on the campaign's locality {@code l}, with the scope patterns bound at {@code param}. */
    static String visibleTo(String param) {
        return "(l.path LIKE ANY(" + param + ") OR EXISTS (SELECT 1 FROM unnest(" + param
                + "::text[]) p WHERE p LIKE l.path || '%'))";
    }

    private final Pool pool;

    public CampaignAccess(Pool pool) {
        this.pool = pool;
    }

    /** Fails with 404 unless the campaign exists and is visible in the scope. */
    public Uni<Void> require(long campaignId, Scope scope) {
        return pool.preparedQuery("SELECT 1 FROM campaign c JOIN locality l ON l.code = c.locality_code WHERE c.id = $1 AND "
                        + visibleTo("$2"))
                .execute(Tuple.of(campaignId, scope.patterns()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.notFound("No campaign " + campaignId + " in your scope.");
                    }
                    return null;
                });
    }
}
