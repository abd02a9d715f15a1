package org.phocap.roster;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phocap.platform.Api;
import org.phocap.platform.PostgresResource;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class RosterImportTest {
    static final String P = "RI";
    static final String HEADER = Api.ROSTER_HEADER;

    @BeforeEach
    void province() {
        Api.treeOnce(P);
    }

    @Test
    void csvImportsAndCountsCreatedRows() {
        long campaign = Api.campaign(P);
        String csv = HEADER
                + "Nguyễn Văn An," + Api.phone(10, 1) + ",1980,Nam,Kinh," + P + "1-1-1,VILLAGE,Nông dân\n"
                + "Trần Thị Bình,+84" + Api.phone(10, 2).substring(1) + ",1990,Nữ,Kinh," + P + "1-1-2,Hội phụ nữ,\n"
                + "Lê Văn Cường,84" + Api.phone(10, 3).substring(1) + ",,Nam,Sán Dìu," + P + "2-1-1,YOUTH_UNION,\n";
        JsonPath done = Api.finished(admin(), Api.upload(admin(), campaign, RosterFiles.utf8(csv), "text/csv"));
        assertEquals("DONE", done.getString("status"));
        assertEquals(3, done.getInt("total"));
        assertEquals(3, done.getInt("created"));
        assertEquals(0, done.getInt("rejected"));
        JsonPath learners = as(admin())
                .get("/api/v1/campaigns/" + campaign + "/learners")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(3, learners.getInt("total"));
        assertTrue(learners.getList("items.phone").contains(Api.e164(Api.phone(10, 3))));
    }

    @Test
    void xlsxWithVietnameseHeadersAndDiacritics() {
        long campaign = Api.campaign(P);
        byte[] xlsx = RosterFiles.xlsx(
                List.of(
                        "Họ và tên",
                        "Số điện thoại",
                        "Năm sinh",
                        "Giới tính",
                        "Dân tộc",
                        "Mã địa bàn",
                        "Đơn vị đề cử",
                        "Đối tượng"),
                List.of(
                        List.of(
                                "Phạm Thị Hồng Nhung",
                                Api.phone(11, 1),
                                1985,
                                "Nữ",
                                "Kinh",
                                P + "1-1-1",
                                "Hội nông dân",
                                "Nông dân"),
                        // A phone typed as a number loses its leading zero; it still reads.
                        List.of(
                                "Đặng Quốc Việt",
                                Long.parseLong(Api.phone(11, 2)),
                                1979,
                                "Nam",
                                "Cao Lan",
                                P + "2-1-1",
                                "Đoàn thanh niên",
                                "Thanh niên"),
                        List.of("Không Có Số", "", 1990, "Nam", "Kinh", P + "1-1-1", "Thôn", "")));
        long importId = Api.upload(admin(), campaign, xlsx, RosterFiles.XLSX);
        JsonPath done = Api.finished(admin(), importId);
        assertEquals("DONE", done.getString("status"), done.prettify());
        assertEquals(2, done.getInt("created"));
        // Line numbers are the sheet's rows: the header is row 1, so the third person is row 4.
        assertEquals(4, done.getInt("errors[0].line"), done.prettify());
        assertEquals("phone", done.getString("errors[0].field"));
        List<String> names = as(admin())
                .get("/api/v1/campaigns/" + campaign + "/learners")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.fullName");
        assertTrue(names.contains("Phạm Thị Hồng Nhung"), names.toString());
        assertTrue(names.contains("Đặng Quốc Việt"), names.toString());
    }

    @Test
    void windows1258FileIsDetectedAndNamesComeOutInNfc() {
        long campaign = Api.campaign(P);
        String csv = HEADER + "Nguyễn Thị Huyền Trang," + Api.phone(12, 1) + ",1992,Nữ,Kinh," + P + "1-1-1,Thôn,\n"
                + "Vũ Đức Thắng," + Api.phone(12, 2) + ",1970,Nam,Kinh," + P + "1-1-2,Hợp tác xã,\n";
        byte[] body = RosterFiles.cp1258(csv);
        long importId = Api.upload(admin(), campaign, body, "text/csv");
        JsonPath done = Api.finished(admin(), importId);
        assertEquals(2, done.getInt("created"), done.prettify());
        List<String> names = as(admin())
                .get("/api/v1/campaigns/" + campaign + "/learners")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.fullName");
        assertTrue(names.contains("Nguyễn Thị Huyền Trang"), names.toString());
        assertTrue(names.contains("Vũ Đức Thắng"), names.toString());
    }

    @Test
    void windows1258NamedByTheClientIsHonoured() {
        long campaign = Api.campaign(P);
        String csv = HEADER + "Hoàng Thị Lụa," + Api.phone(12, 3) + ",1990,Nữ,Kinh," + P + "1-1-1,VILLAGE,\n";
        long importId = as(admin())
                .contentType("text/csv; charset=windows-1258")
                .body(RosterFiles.cp1258(csv))
                .post("/api/v1/campaigns/" + campaign + "/roster")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("importId");
        assertEquals(1, Api.finished(admin(), importId).getInt("created"));
        assertEquals(
                "Hoàng Thị Lụa",
                as(admin())
                        .get("/api/v1/campaigns/" + campaign + "/learners")
                        .then()
                        .extract()
                        .jsonPath()
                        .getString("items[0].fullName"));
    }

    @Test
    void byteOrderMarkDoesNotSpoilTheFirstHeader() {
        long campaign = Api.campaign(P);
        String csv = HEADER + "Bùi Minh Tâm," + Api.phone(13, 1) + ",1988,Nam,Kinh," + P + "1-1-1,VILLAGE,\n";
        JsonPath done = Api.finished(admin(), Api.upload(admin(), campaign, RosterFiles.withBom(csv), "text/csv"));
        assertEquals("DONE", done.getString("status"), done.prettify());
        assertEquals(1, done.getInt("created"));
    }

    @Test
    void badRowsAreReportedWithLineNumbersWhileGoodRowsImport() {
        long campaign = Api.campaign(P);
        String csv = HEADER
                + "Good One," + Api.phone(14, 1) + ",1980,Nam,Kinh," + P + "1-1-1,VILLAGE,\n" // line 2
                + "Bad Phone,0123,1980,Nam,Kinh," + P + "1-1-1,VILLAGE,\n" // line 3
                + "Nowhere," + Api.phone(14, 3) + ",1980,Nam,Kinh,NO-SUCH-PLACE,VILLAGE,\n" // line 4
                + "Odd Body," + Api.phone(14, 4) + ",1980,Nam,Kinh," + P + "1-1-1,Câu lạc bộ,\n" // line 5
                + "," + Api.phone(14, 5) + ",1980,Nam,Kinh," + P + "1-1-1,VILLAGE,\n" // line 6
                + "Good Two," + Api.phone(14, 6) + ",1980,Nữ,Kinh," + P + "2-1-1,OTHER,\n" // line 7
                + "Twice," + Api.phone(14, 1) + ",1980,Nam,Kinh," + P + "1-1-1,VILLAGE,\n"; // line 8
        long importId = Api.upload(admin(), campaign, RosterFiles.utf8(csv), "text/csv");
        JsonPath done = Api.finished(admin(), importId);
        assertEquals("DONE", done.getString("status"));
        assertEquals(7, done.getInt("total"));
        assertEquals(2, done.getInt("created"));
        assertEquals(5, done.getInt("rejected"));
        List<Map<String, Object>> errors = done.getList("errors");
        assertEquals(
                List.of(3, 4, 5, 6, 8), errors.stream().map(e -> e.get("line")).toList());
        assertEquals(
                List.of("phone", "locality_code", "nominated_by", "full_name", "phone"),
                errors.stream().map(e -> e.get("field")).toList());
        assertTrue(errors.get(4).get("message").toString().contains("line 2"), errors.toString());

        String rejected = as(admin())
                .get("/api/v1/imports/" + importId + "/rejected.csv")
                .then()
                .statusCode(200)
                .contentType(containsString("text/csv"))
                .extract()
                .asString();
        String[] lines = rejected.split("\n");
        assertEquals("line,field,message,row", lines[0]);
        assertEquals(6, lines.length, rejected);
        assertTrue(lines[1].startsWith("3,phone,"), rejected);
        assertTrue(lines[2].contains("unknown locality code 'NO-SUCH-PLACE'"), rejected);
    }

    @Test
    void aValueSplitByAnUnquotedCommaIsRefusedNotCutWhileQuotedCommasAndTrailingEmptyValuesImport() {
        long campaign = Api.campaign(P);
        String csv = HEADER
                + "Phan Văn Phẩy," + Api.phone(19, 1) + ",1980,Nam,Kinh," + P + "1-1-1,VILLAGE,Học sinh, sinh viên\n"
                + "Phan Thị Ngoặc," + Api.phone(19, 2) + ",1990,Nữ,Kinh," + P
                + "1-1-1,VILLAGE,\"Học sinh, sinh viên\"\n"
                + "Phan Văn Thừa," + Api.phone(19, 3) + ",1985,Nam,Kinh," + P + "1-1-1,VILLAGE,Nông dân,,\n";
        JsonPath done = Api.finished(admin(), Api.upload(admin(), campaign, RosterFiles.utf8(csv), "text/csv"));
        assertEquals("DONE", done.getString("status"));
        assertEquals(2, done.getInt("created"), done.prettify());
        assertEquals(1, done.getInt("rejected"), done.prettify());
        // Read by position, line 2 was imported as "Học sinh", without a word; now it is refused with the reason.
        assertEquals(2, done.getInt("errors[0].line"));
        assertEquals("target_group", done.getString("errors[0].field"));
        assertTrue(done.getString("errors[0].message").contains("double quotes"), done.prettify());
        io.vertx.mutiny.sqlclient.Pool db = org.phocap.platform.TestDatabase.pool();
        java.util.function.Function<String, String> targetGroupOf = phone -> org.phocap.platform.TestDatabase.first(
                        db,
                        "SELECT e.target_group FROM enrolment e JOIN learner l ON l.id = e.learner_id"
                                + " WHERE l.phone = $1 AND e.campaign_id = $2",
                        Api.e164(phone),
                        campaign)
                .getString(0);
        assertEquals("Học sinh, sinh viên", targetGroupOf.apply(Api.phone(19, 2)));
        assertEquals("Nông dân", targetGroupOf.apply(Api.phone(19, 3)));
    }

    @Test
    void reImportUpdatesAndNeverDuplicates() {
        long campaign = Api.campaign(P);
        String first = HEADER + "Ngô Văn Hải," + Api.phone(15, 1) + ",1980,Nam,Kinh," + P + "1-1-1,VILLAGE,\n"
                + "Dương Thị Yến," + Api.phone(15, 2) + ",1985,Nữ,Kinh," + P + "1-1-1,VILLAGE,\n";
        JsonPath one = Api.finished(admin(), Api.upload(admin(), campaign, RosterFiles.utf8(first), "text/csv"));
        assertEquals(2, one.getInt("created"));
        // Same people, one renamed and moved, written with another phone spelling; plus a new one.
        String second = HEADER + "Ngô Văn Hải Sửa," + Api.phone(15, 1).replaceFirst("^0", "+84") + ",1980,Nam,Kinh," + P
                + "2-1-1,VILLAGE,\n"
                + "Dương Thị Yến," + Api.phone(15, 2) + ",1985,Nữ,Kinh," + P + "1-1-1,VILLAGE,\n"
                + "Lý Văn Mới," + Api.phone(15, 3) + ",1999,Nam,Kinh," + P + "1-1-1,VILLAGE,\n";
        JsonPath two = Api.finished(admin(), Api.upload(admin(), campaign, RosterFiles.utf8(second), "text/csv"));
        assertEquals(1, two.getInt("created"));
        assertEquals(2, two.getInt("updated"));
        JsonPath learners = as(admin())
                .queryParam("size", 50)
                .get("/api/v1/campaigns/" + campaign + "/learners")
                .then()
                .extract()
                .jsonPath();
        assertEquals(3, learners.getInt("total"));
        assertTrue(learners.getList("items.fullName").contains("Ngô Văn Hải Sửa"));

        // The same person in another campaign is one learner enrolled twice, not a second learner.
        long other = Api.campaign(P);
        JsonPath three = Api.finished(admin(), Api.upload(admin(), other, RosterFiles.utf8(first), "text/csv"));
        assertEquals(2, three.getInt("created"));
        long idInFirst = learners.getLong("items.find { it.phone == '" + Api.e164(Api.phone(15, 2)) + "' }.id");
        long idInOther = as(admin())
                .get("/api/v1/campaigns/" + other + "/learners")
                .then()
                .extract()
                .jsonPath()
                .getLong("items.find { it.phone == '" + Api.e164(Api.phone(15, 2)) + "' }.id");
        assertEquals(idInFirst, idInOther);
    }

    @Test
    void overLimitFileIsRefusedWith413AndNothingChanges() {
        long campaign = Api.campaign(P);
        StringBuilder csv = new StringBuilder(HEADER);
        int i = 0;
        while (csv.length() < 2_100_000) { // the test profile's limit is 2,000,000 bytes
            csv.append("Người Thứ ")
                    .append(i)
                    .append(',')
                    .append(Api.phone(16, i % 999_999))
                    .append(",1980,Nam,Kinh,")
                    .append(P)
                    .append("1-1-1,VILLAGE,\n");
            i++;
        }
        as(admin())
                .contentType("text/csv")
                .body(RosterFiles.utf8(csv.toString()))
                .post("/api/v1/campaigns/" + campaign + "/roster")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("https://phocap.org/problems/payload-too-large"));
        as(admin()).get("/api/v1/campaigns/" + campaign).then().statusCode(200).body("enrolled", equalTo(0));
        as(admin()).get("/api/v1/campaigns/" + campaign + "/learners").then().body("total", equalTo(0));
    }

    @Test
    void aFileThatTurnsOutTooLongAfterBatchesWereWrittenLeavesNothingBehind() {
        // The test profile allows 5,000 rows in batches of 1,000: five batches are written (the last
        // may still be in flight) before row 5,001 is read and the whole import is rolled back.
        long campaign = Api.campaign(P);
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; i < 5_001; i++) {
            csv.append("Người Dài ")
                    .append(i)
                    .append(',')
                    .append(Api.phone(17, i))
                    .append(",1980,Nam,Kinh,")
                    .append(P)
                    .append("1-1-1,VILLAGE,\n");
        }
        JsonPath done =
                Api.finished(admin(), Api.upload(admin(), campaign, RosterFiles.utf8(csv.toString()), "text/csv"));
        assertEquals("FAILED", done.getString("status"));
        assertTrue(done.getString("message").contains("more than 5000 data rows"), done.getString("message"));
        as(admin()).get("/api/v1/campaigns/" + campaign).then().statusCode(200).body("enrolled", equalTo(0));
        as(admin()).get("/api/v1/campaigns/" + campaign + "/learners").then().body("total", equalTo(0));
        as(admin())
                .get("/api/v1/campaigns/" + campaign + "/report")
                .then()
                .statusCode(200)
                .body("totals.enrolled", equalTo(0));
        // The same learners import afterwards, counted once.
        String first = csv.substring(0, csv.indexOf("Người Dài 1000,"));
        JsonPath again = Api.finished(admin(), Api.upload(admin(), campaign, RosterFiles.utf8(first), "text/csv"));
        assertEquals(1000, again.getInt("created"));
        as(admin()).get("/api/v1/campaigns/" + campaign + "/report").then().body("totals.enrolled", equalTo(1000));
    }

    @Test
    void fileWithoutRequiredColumnsFailsWithAReason() {
        long campaign = Api.campaign(P);
        long importId = Api.upload(admin(), campaign, RosterFiles.utf8("name,mobile\nA,0912345678\n"), "text/csv");
        JsonPath done = Api.finished(admin(), importId);
        assertEquals("FAILED", done.getString("status"));
        assertTrue(done.getString("message").contains("full_name"), done.getString("message"));
        as(admin()).get("/api/v1/campaigns/" + campaign).then().body("enrolled", equalTo(0));
    }

    @Test
    void progressStreamEndsWithDone() {
        long campaign = Api.campaign(P);
        String csv = HEADER + "Đỗ Thu Hà," + Api.phone(17, 1) + ",1980,Nữ,Kinh," + P + "1-1-1,VILLAGE,\n";
        long importId = Api.upload(admin(), campaign, RosterFiles.utf8(csv), "text/csv");
        String stream = as(admin())
                .accept("text/event-stream")
                .get("/api/v1/imports/" + importId + "/events")
                .then()
                .statusCode(200)
                .contentType(containsString("text/event-stream"))
                .extract()
                .asString();
        assertTrue(stream.contains("event:progress") || stream.contains("event: progress"), stream);
        assertTrue(stream.contains("event:done") || stream.contains("event: done"), stream);
        assertTrue(stream.contains("\"status\":\"DONE\""), stream);
    }

    @Test
    void xlsxAsAMultipartFormUpload() {
        long campaign = Api.campaign(P);
        byte[] xlsx = RosterFiles.xlsx(
                List.of("full_name", "phone", "locality_code", "nominated_by"),
                List.of(List.of("Kim Thị Vân", Api.phone(18, 1), P + "1-1-1", "WOMENS_UNION")));
        var response = as(admin())
                .multiPart("file", "danh-sach.xlsx", xlsx, RosterFiles.XLSX)
                .post("/api/v1/campaigns/" + campaign + "/roster")
                .then()
                .statusCode(202)
                .extract();
        long importId = response.jsonPath().getLong("importId");
        assertEquals("/api/v1/imports/" + importId, response.header("Location"));
        assertEquals(1, Api.finished(admin(), importId).getInt("created"));
    }

    @Test
    void importsOfOtherCampaignsAreNotFound() {
        as(admin()).get("/api/v1/imports/987654321").then().statusCode(404).contentType("application/problem+json");
        as(admin())
                .contentType("text/csv")
                .body(RosterFiles.utf8(HEADER))
                .post("/api/v1/campaigns/987654321/roster")
                .then()
                .statusCode(404);
    }
}
