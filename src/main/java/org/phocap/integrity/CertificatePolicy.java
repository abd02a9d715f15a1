package org.phocap.integrity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.phocap.platform.ProblemException;

/**
 * Per campaign and flag kind, what a flag does to the learner's certificates: ISSUE (nothing; the
 * flag informs supporters) or HOLD_FLAGGED (the completion is recorded, the certificate waits until
 * a supporter clears every such flag; a confirmed flag keeps it held). Stored as a JSON object of
 * the kinds a campaign set; a kind left out takes its default.
 */
public final class CertificatePolicy {
    public static final String ISSUE = "ISSUE";
    public static final String HOLD = "HOLD_FLAGGED";
    public static final List<String> KINDS =
            List.of("SHARED_DEVICE", "CONCURRENT_DEVICES", "IMPLAUSIBLE_PACE", "FAST_QUIZ");

    /**
     * SQL: whether learner {@code $L} has a flag in campaign {@code $C} that holds certificates
     * (unresolved or confirmed, of a kind the campaign's policy holds). Formatted with the two
     * parameter references, e.g. {@code HOLDING_SQL.formatted("$2", "$3")}.
     */
    public static final String HOLDING_SQL = """
            EXISTS (SELECT 1 FROM integrity_flag f JOIN campaign_view pc ON pc.id = f.campaign_id
                    WHERE f.learner_id = %1$s AND f.campaign_id = %2$s AND f.status IN ('OPEN', 'CONFIRMED')
                      AND coalesce(pc.certificate_policy ->> f.kind,
                                   CASE f.kind WHEN 'IMPLAUSIBLE_PACE' THEN 'HOLD_FLAGGED' ELSE 'ISSUE' END) = 'HOLD_FLAGGED')""";

    private CertificatePolicy() {}

    public static String defaultFor(String kind) {
        return "IMPLAUSIBLE_PACE".equals(kind) ? HOLD : ISSUE;
    }

    /** Every kind with its effective rule, from what a campaign stored. */
    public static Map<String, String> effective(Map<String, Object> stored) {
        Map<String, String> all = new LinkedHashMap<>();
        for (String kind : KINDS) {
            Object set = stored == null ? null : stored.get(kind);
            all.put(kind, set instanceof String s ? s : defaultFor(kind));
        }
        return all;
    }

    /** Checks a requested policy: only known kinds, only ISSUE or HOLD_FLAGGED (exact strings). */
    public static Map<String, String> validated(Map<String, Object> requested) {
        if (requested == null || requested.isEmpty()) {
            throw ProblemException.invalid("", "A policy names at least one kind: " + String.join(", ", KINDS) + ".");
        }
        Map<String, String> checked = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : requested.entrySet()) {
            if (!KINDS.contains(entry.getKey())) {
                throw ProblemException.invalid(entry.getKey(), "not a flag kind; one of " + String.join(", ", KINDS));
            }
            if (!(entry.getValue() instanceof String rule) || !(rule.equals(ISSUE) || rule.equals(HOLD))) {
                throw ProblemException.invalid(entry.getKey(), "ISSUE or HOLD_FLAGGED");
            }
            checked.put(entry.getKey(), rule);
        }
        return checked;
    }
}
