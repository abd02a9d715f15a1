package org.phocap.security;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phocap.platform.Api;
import org.phocap.platform.PostgresResource;

/**
 * Findings 2, 3 and 4 of the security review: a supporter cannot take over a learner of another
 * district through the roster, cannot read other districts' rejected rows, and a '_' in a locality
 * code is not a wildcard.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RosterTakeoverTest {
    static final String P = "RT";
    static long campaign;
    static String districtOne;
    static String districtTwo;

    @BeforeEach
    void setUp() {
        if (campaign != 0) {
            return;
        }
        Api.tree(P);
        campaign = Api.campaign(P);
        districtOne = Api.supporter("rt.district1", P + "1");
        districtTwo = Api.supporter("rt.district2", P + "2");
    }

    private static long importAs(String token, String rows) {
        long id = Api.upload(token, campaign, (Api.ROSTER_HEADER + rows).getBytes(StandardCharsets.UTF_8), "text/csv");
        Api.finished(token, id);
        return id;
    }

    private static JsonPath learnerByName(String name) {
        JsonPath page = as(admin())
                .get("/api/v1/campaigns/" + campaign + "/learners?size=100")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        long id = page.getLong("items.find { it.fullName == '" + name + "' }.id");
        return as(admin())
                .get("/api/v1/learners/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void aSupporterCannotPullALearnerOfAnotherDistrictIntoTheirOwnByPhone() {
        String phone = Api.phone(95, 1);
        importAs(admin(), "Nguyễn Văn Ngoài," + phone + ",1970,Nam,Kinh," + P + "2-1-1,VILLAGE,\n");

        long attack = importAs(districtOne, "Kẻ Chiếm," + phone + ",1990,Nam,Kinh," + P + "1-1-1,VILLAGE,\n");
        JsonPath status = as(districtOne)
                .get("/api/v1/imports/" + attack)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(0, status.getInt("updated"));
        assertEquals(0, status.getInt("created"));
        assertEquals(1, status.getInt("rejected"));
        assertEquals("phone", status.getString("errors[0].field"));
        assertTrue(
                status.getString("errors[0].message").contains("another locality"),
                status.getString("errors[0].message"));
        assertFalse(status.getString("errors[0].message").contains(P + "2"), "the answer names no locality");

        JsonPath learner = learnerByName("Nguyễn Văn Ngoài");
        assertEquals(P + "2-1-1", learner.getString("localityCode"));
        String codes = as(districtOne)
                .get("/api/v1/imports/" + attack + "/activation-codes.csv")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertFalse(codes.contains(Api.e164(phone)), "no activation code of the other district's learner");
    }

    @Test
    void aRowWhoseNameAndBirthYearBothDifferIsAFamilyMemberAndIsRefusedUnlessSaidSamePerson() {
        String phone = Api.phone(95, 2);
        importAs(admin(), "Trần Thị Bà," + phone + ",1950,Nữ,Kinh," + P + "1-1-1,VILLAGE,\n");

        long grandchild = importAs(districtOne, "Trần Văn Cháu," + phone + ",2005,Nam,Kinh," + P + "1-1-1,VILLAGE,\n");
        JsonPath refused = as(districtOne)
                .get("/api/v1/imports/" + grandchild)
                .then()
                .extract()
                .jsonPath();
        assertEquals(1, refused.getInt("rejected"));
        assertThat(refused.getString("errors[0].message"), "same_person");
        assertEquals("Trần Thị Bà", learnerByName("Trần Thị Bà").getString("fullName"));

        // The same name with another birth year is a correction of the same person: updated.
        long corrected = importAs(districtOne, "Trần Thị Bà," + phone + ",1951,Nữ,Kinh," + P + "1-1-2,VILLAGE,\n");
        assertEquals(
                1,
                as(districtOne)
                        .get("/api/v1/imports/" + corrected)
                        .then()
                        .extract()
                        .jsonPath()
                        .getInt("updated"));
        assertEquals(P + "1-1-2", learnerByName("Trần Thị Bà").getString("localityCode"));

        // Said explicitly: a renamed person.
        String header = Api.ROSTER_HEADER.strip() + ",same_person\n";
        String csv = header + "Trần Thị Bà Đổi Tên," + phone + ",1960,Nữ,Kinh," + P + "1-1-2,VILLAGE,,yes\n";
        long renamed = Api.upload(districtOne, campaign, csv.getBytes(StandardCharsets.UTF_8), "text/csv");
        assertEquals(1, Api.finished(districtOne, renamed).getInt("updated"));
        assertEquals(1960, learnerByName("Trần Thị Bà Đổi Tên").getInt("birthYear"));
    }

    @Test
    void rejectedRowsAreReadOnlyByTheImporterAndStaffWhoseScopeCoversTheirs() {
        String phone = Api.phone(95, 3);
        long id = importAs(districtOne, "Lỗi Địa Bàn," + phone + ",1980,Nam,Kinh,KHONG-CO,VILLAGE,\n");
        as(districtOne).get("/api/v1/imports/" + id).then().statusCode(200).body("errors.size()", equalTo(1));
        as(districtOne)
                .get("/api/v1/imports/" + id + "/rejected.csv")
                .then()
                .statusCode(200)
                .body(containsString("Lỗi Địa Bàn"));
        as(admin())
                .get("/api/v1/imports/" + id + "/rejected.csv")
                .then()
                .statusCode(200)
                .body(containsString(phone));

        // District two sees the province campaign, so the import's counts, but none of its rows.
        JsonPath other = as(districtTwo)
                .get("/api/v1/imports/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(1, other.getInt("rejected"));
        assertEquals(List.of(), other.getList("errors"));
        String csv = as(districtTwo)
                .get("/api/v1/imports/" + id + "/rejected.csv")
                .then()
                .statusCode(404)
                .extract()
                .asString();
        assertFalse(csv.contains(phone) || csv.contains("Lỗi Địa Bàn"));
        String events = as(districtTwo)
                .get("/api/v1/imports/" + id + "/events")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertFalse(events.contains("KHONG-CO"), events);
    }

    @Test
    void anUnderscoreInALocalityCodeMatchesOnlyItself() {
        String csv = "code,name,level,parent_code\nLK,Tỉnh LK,1,\nLK_1,Huyện Gạch Dưới,2,LK\nLKA1,Huyện A Một,2,LK\n";
        as(admin())
                .contentType("text/csv; charset=UTF-8")
                .body(csv)
                .put("/api/v1/localities")
                .then()
                .statusCode(200);
        long lk = Api.campaign("LK");
        String phone = Api.phone(95, 4);
        long imported = Api.upload(
                admin(),
                lk,
                (Api.ROSTER_HEADER + "Người A Một," + phone + ",1980,Nam,Kinh,LKA1,VILLAGE,\n")
                        .getBytes(StandardCharsets.UTF_8),
                "text/csv");
        Api.finished(admin(), imported);
        long learnerId = as(admin())
                .get("/api/v1/campaigns/" + lk + "/learners")
                .then()
                .extract()
                .jsonPath()
                .getLong("items[0].id");

        String underscore = Api.supporter("lk.underscore", "LK_1");
        as(underscore).get("/api/v1/learners/" + learnerId).then().statusCode(404);
        as(underscore).get("/api/v1/localities/LKA1").then().statusCode(404);
        as(underscore)
                .get("/api/v1/campaigns/" + lk + "/learners")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(0));
        String codes = as(underscore)
                .get("/api/v1/imports/" + imported + "/activation-codes.csv")
                .then()
                .extract()
                .asString();
        assertFalse(codes.contains(Api.e164(phone)), codes);
    }

    private static void assertThat(String message, String mentions) {
        assertTrue(message != null && message.contains(mentions), message);
    }
}
