package org.phocap.roster;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phocap.platform.Api;
import org.phocap.platform.PostgresResource;

/** A supporter of district SC1 sees its learners and nothing of district SC2: 404, not 403. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ScopeTest {
    static final String P = "SC";
    static long campaign;
    static String supporter;
    static long insideId;
    static long outsideId;

    @BeforeEach
    void setUp() {
        if (supporter != null) {
            return;
        }
        Api.tree(P);
        campaign = Api.campaign(P);
        String csv = RosterImportTest.HEADER
                + "Người Trong," + Api.phone(30, 1) + ",1980,Nam,Kinh," + P + "1-1-1,VILLAGE,\n"
                + "Người Ngoài," + Api.phone(30, 2) + ",1980,Nam,Kinh," + P + "2-1-1,VILLAGE,\n";
        Api.finished(admin(), Api.upload(admin(), campaign, RosterFiles.utf8(csv), "text/csv"));
        as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "username",
                        "sc.district1",
                        "password",
                        "district-one-pass",
                        "role",
                        "SUPPORTER",
                        "scope",
                        List.of(P + "1"),
                        "fullName",
                        "Tổ hỗ trợ huyện Một"))
                .post("/api/v1/staff")
                .then()
                .statusCode(201);
        supporter = Api.login("sc.district1", "district-one-pass").getString("accessToken");
        JsonPath all = as(admin())
                .get("/api/v1/campaigns/" + campaign + "/learners")
                .then()
                .extract()
                .jsonPath();
        insideId = all.getLong("items.find { it.fullName == 'Người Trong' }.id");
        outsideId = all.getLong("items.find { it.fullName == 'Người Ngoài' }.id");
    }

    @Test
    void learnerInsideTheSubtreeIsVisible() {
        as(supporter)
                .get("/api/v1/learners/" + insideId)
                .then()
                .statusCode(200)
                .body("fullName", equalTo("Người Trong"));
    }

    @Test
    void learnerOutsideTheSubtreeIs404() {
        as(supporter)
                .get("/api/v1/learners/" + outsideId)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://phocap.org/problems/not-found"));
        as(admin()).get("/api/v1/learners/" + outsideId).then().statusCode(200);
    }

    @Test
    void campaignListsAreCutToTheScope() {
        JsonPath page = as(supporter)
                .get("/api/v1/campaigns/" + campaign + "/learners")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<String> codes = page.getList("items.localityCode");
        org.junit.jupiter.api.Assertions.assertFalse(codes.isEmpty());
        codes.forEach(code -> org.junit.jupiter.api.Assertions.assertTrue(code.startsWith(P + "1"), codes.toString()));
        org.junit.jupiter.api.Assertions.assertFalse(
                page.getList("items.fullName").contains("Người Ngoài"));
    }

    @Test
    void localitiesOutsideTheScopeAre404() {
        as(supporter).get("/api/v1/localities/" + P + "1-1").then().statusCode(200);
        as(supporter).get("/api/v1/localities/" + P + "2").then().statusCode(404);
        as(supporter).get("/api/v1/localities/" + P + "2-1/children").then().statusCode(404);
    }

    @Test
    void supporterImportsOnlyInsideTheScope() {
        String csv = RosterImportTest.HEADER
                + "Mới Trong," + Api.phone(30, 3) + ",1980,Nam,Kinh," + P + "1-1-2,VILLAGE,\n"
                + "Mới Ngoài," + Api.phone(30, 4) + ",1980,Nam,Kinh," + P + "2-1-1,VILLAGE,\n";
        long importId = Api.upload(supporter, campaign, RosterFiles.utf8(csv), "text/csv");
        JsonPath done = Api.finished(supporter, importId);
        assertEquals(1, done.getInt("created"));
        assertEquals(1, done.getInt("rejected"));
        assertEquals("locality_code", done.getString("errors[0].field"));
    }

    @Test
    void supporterOfAnotherProvinceDoesNotSeeTheCampaign() {
        Api.treeOnce("SX");
        as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "username",
                        "sx.province",
                        "password",
                        "other-province",
                        "role",
                        "SUPPORTER",
                        "scope",
                        List.of("SX"),
                        "fullName",
                        "Tỉnh khác"))
                .post("/api/v1/staff")
                .then()
                .statusCode(201);
        String other = Api.login("sx.province", "other-province").getString("accessToken");
        as(other).get("/api/v1/campaigns/" + campaign).then().statusCode(404);
        as(other).get("/api/v1/campaigns/" + campaign + "/learners").then().statusCode(404);
        as(other)
                .contentType("text/csv")
                .body(RosterFiles.utf8(RosterImportTest.HEADER))
                .post("/api/v1/campaigns/" + campaign + "/roster")
                .then()
                .statusCode(404);
    }
}
