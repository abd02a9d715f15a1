package org.phocap.certificate;

import static org.phocap.platform.Times.instant;

import io.vertx.mutiny.sqlclient.Row;
import java.text.Normalizer;
import java.time.Instant;

/** A certificate as issued: what it says was copied at issue and never changes; only revocation is added. */
public record Certificate(
        String serial,
        long campaignId,
        long learnerId,
        long courseId,
        int number,
        String holderName,
        Integer birthYear,
        String localityCode,
        String localityName,
        String courseTitle,
        String campaignName,
        String issuingBody,
        Instant issuedAt,
        Instant revokedAt,
        String revokeReason,
        String verificationCode) {

    static final String COLUMNS = """
            c.serial, c.campaign_id, c.learner_id, c.course_id, c.number, c.holder_name, c.birth_year, c.locality_code,
            c.locality_name, c.course_title, c.campaign_name, c.issuing_body, c.issued_at, c.revoked_at, c.revoke_reason,
            c.verification_code""";

    static Certificate from(Row r) {
        return new Certificate(
                r.getString("serial"),
                r.getLong("campaign_id"),
                r.getLong("learner_id"),
                r.getLong("course_id"),
                r.getInteger("number"),
                nfc(r.getString("holder_name")),
                r.getInteger("birth_year"),
                r.getString("locality_code"),
                nfc(r.getString("locality_name")),
                nfc(r.getString("course_title")),
                nfc(r.getString("campaign_name")),
                nfc(r.getString("issuing_body")),
                instant(r.getOffsetDateTime("issued_at")),
                instant(r.getOffsetDateTime("revoked_at")),
                r.getString("revoke_reason"),
                r.getString("verification_code"));
    }

    /** Whether a code given by a verifier is this certificate's (case-insensitive, in constant time). */
    public boolean codeMatches(String given) {
        return given != null
                && verificationCode != null
                && java.security.MessageDigest.isEqual(
                        verificationCode.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        given.strip()
                                .toUpperCase(java.util.Locale.ROOT)
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    // Names typed on different keyboards arrive composed or decomposed; the PDF and the page show one form.
    private static String nfc(String text) {
        return text == null ? null : Normalizer.normalize(text, Normalizer.Form.NFC);
    }
}
