package org.phocap.certificate;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.phocap.auth.CurrentUser;
import org.phocap.auth.Role;
import org.phocap.certificate.CertificateDtos.CertificateView;
import org.phocap.platform.ApiTags;

@Tag(name = ApiTags.CERTIFICATES, description = ApiTags.CERTIFICATES_ABOUT)
@Path("/api/v1/me/certificates")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.LEARNER)
public class MyCertificatesResource {
    private final CertificateService certificates;
    private final CertificateLinks links;
    private final CurrentUser user;

    public MyCertificatesResource(CertificateService certificates, CertificateLinks links, CurrentUser user) {
        this.certificates = certificates;
        this.links = links;
        this.user = user;
    }

    @GET
    @Operation(
            summary =
                    "The learner's certificates, newest first, with PDF and verification links; then completed "
                            + "courses whose certificate is held for review (status UNDER_REVIEW, with a notice and the support link)")
    public Uni<List<CertificateView>> mine() {
        long learnerId = user.subject().id();
        // Held first: a certificate released since (a cleared flag whose issuing was lost) is issued there.
        return certificates
                .held(learnerId)
                .flatMap(held -> certificates.mine(learnerId).map(list -> {
                    List<CertificateView> all = new ArrayList<>(
                            list.stream().map(c -> CertificateView.of(c, links)).toList());
                    held.forEach(h -> all.add(CertificateView.held(learnerId, h)));
                    return all;
                }));
    }
}
