package org.phocap.certificate;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** Request and answer shapes of certificates. */
public final class CertificateDtos {
    private CertificateDtos() {
    }

    /** A certificate as its holder and staff see it. */
    @RegisterForReflection
    public record CertificateView(String serial, long learnerId, String holderName, Integer birthYear, String localityCode,
                                  String locality, long courseId, String course, long campaignId, String campaign,
                                  String issuingBody, Instant issuedAt, boolean revoked, Instant revokedAt,
                                  String revokeReason, String pdfUrl, String verifyUrl) {
        static CertificateView of(Certificate c, CertificateLinks links) {
            return new CertificateView(c.serial(), c.learnerId(), c.holderName(), c.birthYear(), c.localityCode(),
                    c.localityName(), c.courseId(), c.courseTitle(), c.campaignId(), c.campaignName(), c.issuingBody(),
                    c.issuedAt(), c.revoked(), c.revokedAt(), c.revokeReason(), CertificateLinks.pdfPath(c.serial()),
                    links.verifyUrl(c.serial()));
        }
    }

    /** What anyone may learn from a serial: no phone, no birth year. */
    @RegisterForReflection
    public record Verification(String serial, boolean valid, String holderName, String course, String campaign,
                               String locality, String issuingBody, Instant issuedAt, boolean revoked, Instant revokedAt,
                               String revokeReason) {
        static Verification of(Certificate c) {
            return new Verification(c.serial(), !c.revoked(), c.holderName(), c.courseTitle(), c.campaignName(),
                    c.localityName(), c.issuingBody(), c.issuedAt(), c.revoked(), c.revokedAt(), c.revokeReason());
        }
    }

    public record RevokeRequest(@NotBlank @Size(max = 500) String reason) {}
}
