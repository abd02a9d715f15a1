package org.phocap.certificate;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** Request and answer shapes of certificates. */
public final class CertificateDtos {
    private CertificateDtos() {}

    /** A certificate as its holder and staff see it. */
    @RegisterForReflection
    /**
     * A certificate; {@code status} is ISSUED, REVOKED, or UNDER_REVIEW for a completed course whose
     * certificate the campaign's integrity policy holds (then only the course, campaign, completion
     * time, a notice and where to find the support group are set).
     */
    public record CertificateView(
            String serial,
            long learnerId,
            String holderName,
            Integer birthYear,
            String localityCode,
            String locality,
            long courseId,
            String course,
            long campaignId,
            String campaign,
            String issuingBody,
            Instant issuedAt,
            boolean revoked,
            Instant revokedAt,
            String revokeReason,
            String pdfUrl,
            String verifyUrl,
            String status,
            Instant completedAt,
            String notice,
            String supportUrl) {
        static CertificateView of(Certificate c, CertificateLinks links) {
            return new CertificateView(
                    c.serial(),
                    c.learnerId(),
                    c.holderName(),
                    c.birthYear(),
                    c.localityCode(),
                    c.localityName(),
                    c.courseId(),
                    c.courseTitle(),
                    c.campaignId(),
                    c.campaignName(),
                    c.issuingBody(),
                    c.issuedAt(),
                    c.revoked(),
                    c.revokedAt(),
                    c.revokeReason(),
                    CertificateLinks.pdfPath(c.serial()),
                    links.verifyUrl(c),
                    c.revoked() ? "REVOKED" : "ISSUED",
                    null,
                    null,
                    null);
        }

        static CertificateView held(long learnerId, HeldCertificate h) {
            return new CertificateView(
                    null,
                    learnerId,
                    null,
                    null,
                    null,
                    null,
                    h.courseId(),
                    null,
                    h.campaignId(),
                    null,
                    null,
                    null,
                    false,
                    null,
                    null,
                    null,
                    null,
                    HeldCertificate.UNDER_REVIEW,
                    h.completedAt(),
                    HeldCertificate.MESSAGE,
                    HeldCertificate.SUPPORT_URL);
        }
    }

    /**
     * What anyone may learn. With the serial alone: valid or revoked, and the holder's initials (the
     * serials are sequential, so more would make a register of names and villages). With the
     * verification code printed beside it: the holder's name, course, campaign and locality too.
     * Never a phone, a birth year or why a certificate was revoked.
     */
    @RegisterForReflection
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Verification(
            String serial,
            boolean valid,
            boolean revoked,
            Instant revokedAt,
            String holderInitials,
            boolean detailsShown,
            String holderName,
            String course,
            String campaign,
            String locality,
            String issuingBody,
            Instant issuedAt) {
        static Verification of(Certificate c, boolean withDetails) {
            return withDetails
                    ? new Verification(
                            c.serial(),
                            !c.revoked(),
                            c.revoked(),
                            c.revokedAt(),
                            initials(c.holderName()),
                            true,
                            c.holderName(),
                            c.courseTitle(),
                            c.campaignName(),
                            c.localityName(),
                            c.issuingBody(),
                            c.issuedAt())
                    : new Verification(
                            c.serial(),
                            !c.revoked(),
                            c.revoked(),
                            c.revokedAt(),
                            initials(c.holderName()),
                            false,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null);
        }

        /** "Nguyễn Thị Hồng Nhung" → "N. T. H. N." */
        static String initials(String name) {
            StringBuilder out = new StringBuilder();
            for (String part : name.strip().split("\\s+")) {
                if (!part.isEmpty()) {
                    out.append(out.length() == 0 ? "" : " ")
                            .append(part.codePoints()
                                    .limit(1)
                                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append))
                            .append('.');
                }
            }
            return out.toString();
        }
    }

    public record RevokeRequest(@NotBlank @Size(max = 500) String reason) {}
}
