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
    /** SQL condition on the campaign's locality {@code l}, with the scope's paths ({@link Scope#paths()}) bound at {@code param}. */
    static String visibleTo(String param) {
        return "(EXISTS (SELECT 1 FROM unnest(" + param + "::text[]) AS s(prefix)"
                + " WHERE starts_with(l.path, s.prefix) OR starts_with(s.prefix, l.path)))";
    }

    private final Pool pool;

    public CampaignAccess(Pool pool) {
        this.pool = pool;
    }

    /** Fails with 404 unless the campaign exists and is visible in the scope. */
    public Uni<Void> require(long campaignId, Scope scope) {
        return requirePath(campaignId, scope).replaceWithVoid();
    }

    /** The path of the campaign's locality; fails with 404 unless the campaign is visible in the scope. */
    public Uni<String> requirePath(long campaignId, Scope scope) {
        return pool.preparedQuery(
                        "SELECT l.path FROM campaign c JOIN locality_view l ON l.code = c.locality_code WHERE c.id = $1 AND "
                                + visibleTo("$2"))
                .execute(Tuple.of(campaignId, scope.paths()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.notFound("No campaign " + campaignId + " in your scope.");
                    }
                    return rows.iterator().next().getString(0);
                });
    }

    /** The path of the campaign's locality, for a caller whose access was checked before (a stream's ticks). */
    public Uni<String> path(long campaignId) {
        return requirePath(campaignId, Scope.everything());
    }

    /**
     * For changes to the campaign as a whole (waves, wave plans): the caller's scope must cover the
     * campaign's locality. 404 when not visible at all, 403 when the caller sees only part of it.
     */
    public Uni<Void> requireWhole(long campaignId, Scope scope) {
        return pool.preparedQuery(
                        "SELECT l.path, " + visibleTo("$2")
                                + " AS visible FROM campaign c JOIN locality_view l ON l.code = c.locality_code WHERE c.id = $1")
                .execute(Tuple.of(campaignId, scope.paths()))
                .map(rows -> {
                    if (rows.size() == 0 || !rows.iterator().next().getBoolean("visible")) {
                        throw ProblemException.notFound("No campaign " + campaignId + " in your scope.");
                    }
                    if (!scope.covers(rows.iterator().next().getString("path"))) {
                        throw ProblemException.forbidden("Your scope covers only part of campaign " + campaignId
                                + "; changes to the whole campaign need a scope that covers its locality.");
                    }
                    return null;
                });
    }
}
