package org.phocap.certificate;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.phocap.certificate.CertificateDtos.Verification;
import org.phocap.platform.ApiTags;
import org.phocap.platform.ClientAddress;
import org.phocap.platform.ProblemException;

/**
 * Verification for anyone holding a serial: JSON for apps, and the page the QR code opens, in
 * Vietnamese and readable on a phone. No sign-in. The serial alone answers valid or revoked with
 * the holder's initials; the holder's details need the verification code printed beside it (the
 * QR code carries it). Look-ups are limited per client address.
 */
@Tag(name = ApiTags.CERTIFICATES, description = ApiTags.CERTIFICATES_ABOUT)
@Path("/")
@PermitAll
public class PublicCertificateResource {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");

    private final CertificateService certificates;
    private final Template page;
    private final ZoneId zone;
    private final PublicLookupLimit limit;

    public PublicCertificateResource(
            CertificateService certificates,
            @Location("verify.html") Template page,
            CertificateConfig certificateConfig,
            PublicLookupLimit limit) {
        ZoneId zone = certificateConfig.zone();
        this.limit = limit;
        this.certificates = certificates;
        this.page = page;
        this.zone = zone;
    }

    @GET
    @Path("api/v1/public/certificates/{serial}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Verifies a certificate: valid or revoked with the holder's initials; with ?c= (the code printed "
                    + "beside the serial, as in the QR code's URL; ?code= is read too) also the holder's name, course and locality; "
                    + "404 for an unknown or mistyped serial; 429 past the per-address limit")
    public Uni<Verification> verify(
            @PathParam("serial") String serial,
            @QueryParam("c") String c,
            @QueryParam("code") String code,
            @Context HttpServerRequest http) {
        limit.take(ClientAddress.of(http));
        // The contract's parameter is c (as on the verification page); code was this call's first name for it.
        String given = c != null ? c : code;
        return certificates.verify(serial).map(found -> Verification.of(found, found.codeMatches(given)));
    }

    @GET
    @Path("verify/{serial}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The verification page a certificate's QR code opens (HTML, Vietnamese)")
    public Uni<Response> pageAtRoot(
            @PathParam("serial") String serial, @QueryParam("c") String code, @Context HttpServerRequest http) {
        limit.take(ClientAddress.of(http));
        return render(serial, code);
    }

    @GET
    @Path("api/v1/verify/{serial}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The same verification page under the API base path")
    public Uni<Response> pageUnderApi(
            @PathParam("serial") String serial, @QueryParam("c") String code, @Context HttpServerRequest http) {
        limit.take(ClientAddress.of(http));
        return render(serial, code);
    }

    private Uni<Response> render(String serial, String code) {
        return certificates
                .verify(serial)
                .map(c -> Verification.of(c, c.codeMatches(code)))
                .map(v -> new Shown(
                        v.revoked() ? "revoked" : "valid",
                        v.serial(),
                        v.holderInitials(),
                        v.detailsShown(),
                        v.holderName(),
                        v.course(),
                        v.campaign(),
                        v.locality(),
                        v.issuingBody(),
                        v.issuedAt() == null ? null : DATE.format(v.issuedAt().atZone(zone)),
                        v.revokedAt() == null ? null : DATE.format(v.revokedAt().atZone(zone))))
                .onFailure(ProblemException.class)
                .recoverWithItem(e -> Shown.notFound(serial))
                .flatMap(shown -> page.data("c", shown)
                        .createUni()
                        .map(html -> Response.status("notfound".equals(shown.status()) ? 404 : 200)
                                .type("text/html; charset=UTF-8")
                                .header("Content-Language", "vi")
                                .header("Cache-Control", "no-cache")
                                .entity(html)
                                .build()));
    }

    /** What the page shows; status is valid, revoked or notfound. Resolved without reflection, also in a native image. */
    @TemplateData
    public record Shown(
            String status,
            String serial,
            String holderInitials,
            boolean detailsShown,
            String holderName,
            String course,
            String campaign,
            String locality,
            String issuingBody,
            String issuedOn,
            String revokedOn) {
        static Shown notFound(String serial) {
            return new Shown("notfound", Serials.shown(serial), null, false, null, null, null, null, null, null, null);
        }
    }
}
