package org.phocap.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * A sample administrative tree shaped like Vĩnh Phúc: the province, its nine districts (real
 * names), and made-up communes and villages under each. Pure JDK so the roster generator can run
 * from a plain classpath in load tests.
 */
public final class DemoProvince {
    public static final String PROVINCE = "26";

    private static final String[][] DISTRICTS = {
        {"243", "Thành phố Vĩnh Yên"}, {"244", "Thành phố Phúc Yên"}, {"246", "Huyện Lập Thạch"},
        {"247", "Huyện Tam Dương"}, {"248", "Huyện Tam Đảo"}, {"249", "Huyện Bình Xuyên"},
        {"251", "Huyện Yên Lạc"}, {"252", "Huyện Vĩnh Tường"}, {"253", "Huyện Sông Lô"}
    };
    private static final String[] COMMUNES = {"Đồng Tâm", "Hợp Thịnh", "Kim Long", "Tân Phong", "Đại Đồng", "Thanh Vân"
    };
    private static final int VILLAGES_PER_COMMUNE = 4;

    public record Place(String code, String name, int level, String parentCode) {}

    private DemoProvince() {}

    public static List<Place> places() {
        List<Place> places = new ArrayList<>();
        places.add(new Place(PROVINCE, "Tỉnh Vĩnh Phúc", 1, null));
        for (String[] district : DISTRICTS) {
            places.add(new Place(district[0], district[1], 2, PROVINCE));
            for (int c = 0; c < COMMUNES.length; c++) {
                String commune = district[0] + String.format("%02d", c + 1);
                String prefix = district[1].startsWith("Thành phố") ? "Phường " : "Xã ";
                places.add(new Place(commune, prefix + COMMUNES[c], 3, district[0]));
                for (int v = 1; v <= VILLAGES_PER_COMMUNE; v++) {
                    places.add(new Place(
                            commune + "-" + v,
                            (prefix.startsWith("Phường") ? "Tổ dân phố " : "Thôn ") + v,
                            4,
                            commune));
                }
            }
        }
        return places;
    }

    public static List<String> villageCodes() {
        return places().stream().filter(p -> p.level() == 4).map(Place::code).toList();
    }

    public static List<String> districtCodes() {
        return places().stream().filter(p -> p.level() == 2).map(Place::code).toList();
    }

    public static String csv() {
        StringBuilder csv = new StringBuilder("code,name,level,parent_code\n");
        for (Place p : places()) {
            csv.append(p.code())
                    .append(',')
                    .append(p.name())
                    .append(',')
                    .append(p.level())
                    .append(',')
                    .append(p.parentCode() == null ? "" : p.parentCode())
                    .append('\n');
        }
        return csv.toString();
    }
}
