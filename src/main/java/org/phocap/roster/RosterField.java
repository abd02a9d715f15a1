package org.phocap.roster;

import java.util.List;
import java.util.Optional;
import org.phocap.platform.Csv;

/** Roster columns, recognised by their English or Vietnamese header. */
public enum RosterField {
    FULL_NAME(true, "full_name", "Họ và tên", "Họ tên", "ho_va_ten"),
    PHONE(true, "phone", "Số điện thoại", "SĐT", "so_dien_thoai"),
    BIRTH_YEAR(false, "birth_year", "Năm sinh", "nam_sinh"),
    GENDER(false, "gender", "Giới tính", "gioi_tinh"),
    ETHNICITY(false, "ethnicity", "Dân tộc", "dan_toc"),
    LOCALITY_CODE(true, "locality_code", "Mã địa bàn", "ma_dia_ban"),
    NOMINATED_BY(true, "nominated_by", "Đơn vị đề cử", "don_vi_de_cu"),
    TARGET_GROUP(false, "target_group", "Đối tượng", "doi_tuong"),
    NATIONAL_ID(false, "national_id", "Số CCCD", "CCCD", "so_cccd"),
    /** "yes" confirms that a row whose phone is enrolled under another name and birth year is that same person. */
    SAME_PERSON(false, "same_person", "Cùng người", "cung_nguoi");

    private final boolean required;
    private final List<String> headers;

    RosterField(boolean required, String... headers) {
        this.required = required;
        this.headers = List.of(headers).stream().map(Csv::headerKey).toList();
    }

    public boolean required() {
        return required;
    }

    /** The English header, used in error reports and rejected.csv. */
    public String column() {
        return name().toLowerCase();
    }

    public static Optional<RosterField> byHeader(String header) {
        String key = Csv.headerKey(header);
        for (RosterField field : values()) {
            if (field.headers.contains(key)) {
                return Optional.of(field);
            }
        }
        return Optional.empty();
    }
}
