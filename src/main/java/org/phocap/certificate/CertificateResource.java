package org.phocap.certificate;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.phocap.audit.AuditLog;
import org.phocap.auth.CurrentUser;
import org.phocap.auth.Role;
import org.phocap.auth.Subject;
import org.phocap.certificate.CertificateDtos.CertificateView;
import org.phocap.certificate.CertificateDtos.RevokeRequest;
import org.phocap.certificate.CertificateStore.Filter;
import org.phocap.locality.Scope;
import org.phocap.locality.StaffScope;
import org.phocap.platform.ApiTags;
import org.phocap.platform.CsvExport;
import org.phocap.platform.Page;
import org.phocap.platform.PageConfig;
import org.phocap.platform.PageRequest;
import org.phocap.platform.Times;

/** Certificates for staff (listing, export, revocation) and the PDF download for holders and staff. */
@Tag(name = ApiTags.CERTIFICATES, description = ApiTags.CERTIFICATES_ABOUT)
@Path("/api/v1/certificates")
public class CertificateResource {
    private final CertificateService certificates;
    private final CertificateLinks links;
    private final StaffScope scopes;
    private final CurrentUser user;
    private final int maxPageSize;
    private final AuditLog audit;

    public CertificateResource(
            CertificateService certificates,
            CertificateLinks links,
            StaffScope scopes,
            CurrentUser user,
            PageConfig pageConfig,
            AuditLog audit) {
        int maxPageSize = pageConfig.maxSize();
        this.audit = audit;
        this.certificates = certificates;
        this.links = links;
        this.scopes = scopes;
        this.user = user;
        this.maxPageSize = maxPageSize;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.ADMIN, Role.SUPPORTER})
    @Operation(
            summary = "Certificates of learners in the caller's scope, oldest first; filters: campaign, "
                    + "locality subtree, issued in [issuedFrom, issuedTo)")
    public Uni<Page<CertificateView>> list(
            @QueryParam("campaignId") Long campaignId,
            @QueryParam("localityCode") String localityCode,
            @QueryParam("issuedFrom") String issuedFrom,
            @QueryParam("issuedTo") String issuedTo,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("100") int size) {
        PageRequest.check(page, size, maxPageSize);
        Filter filter = filter(campaignId, localityCode, issuedFrom, issuedTo);
        return scopes.scope()
                .flatMap(scope -> certificates.page(filter, scope, page, size))
                .map(found -> new Page<>(
                        found.items().stream()
                                .map(c -> CertificateView.of(c, links))
                                .toList(),
                        found.page(),
                        found.size(),
                        found.total()));
    }

    @GET
    // The lower quality keeps JSON the answer to Accept: */*; the answer's own type is set plainly below.
    @Produces("text/csv;qs=0.5")
    @RolesAllowed({Role.ADMIN, Role.SUPPORTER})
    @Operation(summary = "The same listing as CSV (Accept: text/csv), every matching row, streamed")
    @APIResponse(
            responseCode = "200",
            description = "CSV with a header row",
            content = @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING)))
    public Multi<String> csv(
            @QueryParam("campaignId") Long campaignId,
            @QueryParam("localityCode") String localityCode,
            @QueryParam("issuedFrom") String issuedFrom,
            @QueryParam("issuedTo") String issuedTo) {
        Filter filter = filter(campaignId, localityCode, issuedFrom, issuedTo);
        return CsvExport.response(scopes.scope().onItem().transformToMulti(scope -> certificates.csv(filter, scope)));
    }

    @GET
    @Path("/{serial}.pdf")
    @Produces({"application/pdf", "application/problem+json"})
    @RolesAllowed({Role.ADMIN, Role.SUPPORTER, Role.LEARNER})
    @Operation(
            summary = "The certificate as an A4 landscape PDF: for its holder, or staff whose scope covers the holder")
    public Uni<Response> pdf(@PathParam("serial") String serial) {
        Subject caller = user.subject();
        Uni<Scope> scope = caller.kind() == Subject.Kind.LEARNER
                ? Uni.createFrom().item(new Scope(new String[0]))
                : scopes.scope();
        return scope.flatMap(s -> certificates.pdf(serial, caller, s))
                .map(bytes -> Response.ok(bytes, "application/pdf")
                        .header(
                                "Content-Disposition",
                                "inline; filename=\"" + serial.strip().toUpperCase() + ".pdf\"")
                        .header("Cache-Control", "private, max-age=86400")
                        .build());
    }

    @POST
    @Path("/{serial}/revoke")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.ADMIN)
    @Operation(summary = "Revokes a certificate with a reason; verification then says it is revoked. Again: 409")
    public Uni<CertificateView> revoke(@PathParam("serial") String serial, @Valid @NotNull RevokeRequest request) {
        long staffId = user.staffId();
        return scopes.scope()
                .flatMap(scope -> certificates.revoke(serial, request.reason(), staffId, scope))
                .call(c -> audit.record(
                        user.subject(),
                        new AuditLog.Entry(
                                "certificate-revoked",
                                c.learnerId(),
                                c.campaignId(),
                                c.localityCode(),
                                Map.of("serial", c.serial(), "reason", c.revokeReason()))))
                .map(c -> CertificateView.of(c, links));
    }

    private static Filter filter(Long campaignId, String localityCode, String issuedFrom, String issuedTo) {
        return new Filter(
                campaignId,
                localityCode == null || localityCode.isBlank() ? null : localityCode.strip(),
                Times.param("issuedFrom", issuedFrom),
                Times.param("issuedTo", issuedTo));
    }
}
