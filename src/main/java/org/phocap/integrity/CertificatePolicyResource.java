package org.phocap.integrity;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.phocap.audit.AuditLog;
import org.phocap.auth.CurrentUser;
import org.phocap.auth.Role;
import org.phocap.campaign.CampaignAccess;
import org.phocap.campaign.CampaignStore;
import org.phocap.locality.StaffScope;
import org.phocap.platform.ApiTags;

/**
 * A campaign's certificate policy per flag kind (see {@link CertificatePolicy}): read by staff who
 * see the campaign, changed by ADMINs whose scope covers it (audited). A change applies to
 * completions from then on; it does not issue or hold certificates already decided.
 */
@Tag(name = ApiTags.INTEGRITY, description = ApiTags.INTEGRITY_ABOUT)
@Path("/api/v1/campaigns/{id}/certificate-policy")
@Produces(MediaType.APPLICATION_JSON)
public class CertificatePolicyResource {
    private final Pool pool;
    private final CampaignAccess access;
    private final StaffScope scopes;
    private final CurrentUser user;
    private final AuditLog audit;
    private final CampaignStore campaigns;

    public CertificatePolicyResource(
            Pool pool,
            CampaignAccess access,
            CampaignStore campaigns,
            StaffScope scopes,
            CurrentUser user,
            AuditLog audit) {
        this.pool = pool;
        this.campaigns = campaigns;
        this.access = access;
        this.scopes = scopes;
        this.user = user;
        this.audit = audit;
    }

    @GET
    @RolesAllowed({Role.ADMIN, Role.SUPPORTER})
    @Operation(summary = "The campaign's certificate policy: for each flag kind, ISSUE or HOLD_FLAGGED")
    public Uni<Map<String, String>> get(@PathParam("id") long id) {
        return scopes.scope().flatMap(scope -> access.require(id, scope)).chain(() -> read(id));
    }

    @PUT
    @RolesAllowed(Role.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Set the rule of one or more flag kinds ({\"FAST_QUIZ\": \"HOLD_FLAGGED\"}); kinds left out keep "
                    + "theirs. Answers the whole policy. 403 when the caller's scope covers only part of the campaign")
    public Uni<Map<String, String>> set(@PathParam("id") long id, Map<String, Object> request) {
        Map<String, String> rules = CertificatePolicy.validated(request);
        return scopes.scope()
                .flatMap(scope -> access.requireWhole(id, scope))
                .chain(() -> pool.withTransaction(conn -> campaigns
                        .mergeCertificatePolicy(conn, id, rules)
                        .flatMap(localityCode -> audit.record(
                                conn,
                                user.subject(),
                                new AuditLog.Entry(
                                        "certificate-policy-set", null, id, localityCode, Map.copyOf(rules))))))
                .chain(() -> read(id));
    }

    private Uni<Map<String, String>> read(long id) {
        return campaigns.certificatePolicy(id).map(CertificatePolicy::effective);
    }
}
