package org.phocap.campaign;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Who put a learner forward, under the English code or the Vietnamese name organisations write. */
public enum NominatingBody {
    VILLAGE("Thôn", "Thôn/xóm", "Thôn xóm", "Xóm", "Tổ dân phố", "Trưởng thôn"),
    YOUTH_UNION("Đoàn thanh niên", "Đoàn TN", "Đoàn"),
    LABOUR_FEDERATION("Liên đoàn lao động", "Công đoàn", "LĐLĐ"),
    FARMERS_ASSOCIATION("Hội nông dân", "Hội ND"),
    WOMENS_UNION("Hội liên hiệp phụ nữ", "Hội phụ nữ", "Hội LHPN"),
    COOPERATIVE_ALLIANCE("Liên minh hợp tác xã", "Hợp tác xã", "HTX"),
    BUSINESS_ASSOCIATION("Hiệp hội doanh nghiệp", "Doanh nghiệp", "Hội doanh nghiệp"),
    OTHER("Khác");

    private static final Map<String, NominatingBody> BY_NAME = new HashMap<>();

    static {
        for (NominatingBody body : values()) {
            BY_NAME.put(key(body.name()), body);
            for (String alias : body.aliases) {
                BY_NAME.put(key(alias), body);
            }
        }
    }

    private final String[] aliases;

    NominatingBody(String... aliases) {
        this.aliases = aliases;
    }

    /** The name organisations write, for reports. */
    public String vietnameseName() {
        return aliases[0];
    }

    public static Optional<NominatingBody> parse(String text) {
        return text == null ? Optional.empty() : Optional.ofNullable(BY_NAME.get(key(text)));
    }

    private static String key(String text) {
        return Normalizer.normalize(text.strip(), Normalizer.Form.NFC)
                .toLowerCase(Locale.ROOT)
                .replace('_', ' ');
    }
}
