package org.phocap.demo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Plausible Vietnamese learners for the demo and for load tests, deterministic for a seed.
 * Phones are +849 followed by eight digits counted from {@code firstNumber}, so two generated
 * rosters with distinct ranges never share a learner.
 *
 * <p>From a shell: {@code java -cp target/classes org.phocap.demo.RosterGenerator ROWS FILE [FIRST_NUMBER]}.
 */
public final class RosterGenerator {
    private static final String[] FAMILY = {
        "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đào",
        "Kim"
    };
    private static final String[] MALE_MIDDLE = {"Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Công", "Xuân"};
    private static final String[] FEMALE_MIDDLE = {"Thị", "Thu", "Ngọc", "Thanh", "Minh", "Kim", "Thùy", "Hồng"};
    private static final String[] MALE_GIVEN = {
        "An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phúc", "Quân", "Sơn", "Thắng", "Tuấn",
        "Việt", "Đạt"
    };
    private static final String[] FEMALE_GIVEN = {
        "Anh", "Chi", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Phương", "Tâm", "Thảo", "Trang",
        "Vân", "Yến"
    };
    private static final String[] ETHNICITY = {
        "Kinh", "Kinh", "Kinh", "Kinh", "Kinh", "Kinh", "Kinh", "Kinh", "Sán Dìu", "Cao Lan"
    };
    private static final String[] BODIES = {
        "VILLAGE",
        "VILLAGE",
        "VILLAGE",
        "YOUTH_UNION",
        "LABOUR_FEDERATION",
        "FARMERS_ASSOCIATION",
        "WOMENS_UNION",
        "COOPERATIVE_ALLIANCE",
        "BUSINESS_ASSOCIATION",
        "Hội nông dân"
    };
    private static final String[] GROUPS = {
        "Nông dân", "Công nhân", "Học sinh, sinh viên", "Cán bộ thôn", "Hộ kinh doanh", "Người cao tuổi"
    };

    private RosterGenerator() {}

    public static void write(Writer out, int rows, long firstNumber, long seed) throws IOException {
        Random random = new Random(seed);
        List<String> villages = DemoProvince.villageCodes();
        out.write("full_name,phone,birth_year,gender,ethnicity,locality_code,nominated_by,target_group\n");
        for (int i = 0; i < rows; i++) {
            boolean female = random.nextBoolean();
            String name = pick(random, FAMILY) + " " + pick(random, female ? FEMALE_MIDDLE : MALE_MIDDLE) + " "
                    + pick(random, female ? FEMALE_GIVEN : MALE_GIVEN);
            String phone = String.format("09%08d", firstNumber + i);
            // Half the phones are written the way people type them, with spaces.
            if (random.nextBoolean()) {
                phone = phone.substring(0, 4) + " " + phone.substring(4, 7) + " " + phone.substring(7);
            }
            out.write(name + "," + phone + "," + (1955 + random.nextInt(50)) + "," + (female ? "Nữ" : "Nam") + ","
                    + pick(random, ETHNICITY) + "," + villages.get(random.nextInt(villages.size())) + ","
                    + pick(random, BODIES) + "," + quoted(pick(random, GROUPS)) + "\n");
        }
    }

    /** A CSV value in double quotes when it holds a comma ("Học sinh, sinh viên"), as spreadsheets write it. */
    private static String quoted(String value) {
        return value.contains(",") ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: RosterGenerator ROWS FILE [FIRST_NUMBER]");
            System.exit(2);
        }
        int rows = Integer.parseInt(args[0]);
        long first = args.length > 2 ? Long.parseLong(args[2]) : 20_000_000L;
        try (BufferedWriter out = Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8)) {
            write(out, rows, first, 42);
        }
    }
}
