package org.phocap.audit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.phocap.auth.Role;
import org.phocap.locality.StaffScope;
import org.phocap.platform.ApiTags;
import org.phocap.platform.Page;
import org.phocap.platform.PageConfig;
import org.phocap.platform.PageRequest;
import org.phocap.platform.Times;

/** The audit log, newest first, for ADMINs, cut to their scope. */
@Tag(name = ApiTags.AUDIT, description = ApiTags.AUDIT_ABOUT)
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN)
public class AuditResource {
    private final Pool pool;
    private final StaffScope scopes;
    private final int maxPageSize;

    public AuditResource(Pool pool, StaffScope scopes, PageConfig pageConfig) {
        int maxPageSize = pageConfig.maxSize();
        this.pool = pool;
        this.scopes = scopes;
        this.maxPageSize = maxPageSize;
    }

    public record AuditView(
            long id,
            Instant at,
            long staffId,
            String staffUsername,
            String action,
            Long learnerId,
            Long campaignId,
            String localityCode,
            Map<String, Object> detail) {
        static AuditView of(Row r) {
            return new AuditView(
                    r.getLong("id"),
                    r.getOffsetDateTime("at").toInstant(),
                    r.getLong("staff_id"),
                    r.getString("staff_username"),
                    r.getString("action"),
                    r.getLong("learner_id"),
                    r.getLong("campaign_id"),
                    r.getString("locality_code"),
                    r.getJsonObject("detail").getMap());
        }
    }

    @GET
    @Operation(
            summary =
                    "Staff actions that touched learners (imports, activation codes issued, certificates revoked, "
                            + "learners moved to a wave), newest first; filters by learner, campaign and time (from inclusive, to exclusive)")
    public Uni<Page<AuditView>> list(
            @QueryParam("learnerId") Long learnerId,
            @QueryParam("campaignId") Long campaignId,
            @QueryParam("from") String fromText,
            @QueryParam("to") String toText,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("50") int size) {
        PageRequest.check(page, size, maxPageSize);
        Instant from = Times.param("from", fromText);
        Instant to = Times.param("to", toText);
        return scopes.scope()
                .flatMap(scope -> pool.preparedQuery("""
                        SELECT a.*, count(*) OVER () AS total FROM audit_entry a JOIN locality_view l ON l.code = a.locality_code
                        WHERE l.path LIKE ANY($1)
                          AND ($2::bigint IS NULL OR a.learner_id = $2) AND ($3::bigint IS NULL OR a.campaign_id = $3)
                          AND ($4::timestamptz IS NULL OR a.at >= $4) AND ($5::timestamptz IS NULL OR a.at < $5)
                        ORDER BY a.at DESC, a.id DESC LIMIT $6 OFFSET $7""")
                        .execute(Tuple.from(new Object[] {
                            scope.patterns(),
                            learnerId,
                            campaignId,
                            from == null ? null : from.atOffset(ZoneOffset.UTC),
                            to == null ? null : to.atOffset(ZoneOffset.UTC),
                            size,
                            (long) page * size
                        }))
                        .map(rows -> Page.of(rows, AuditView::of, page, size)));
    }
}
