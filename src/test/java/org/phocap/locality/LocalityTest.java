package org.phocap.locality;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.phocap.platform.PostgresResource;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class LocalityTest {
    static final String HEADER = "code,name,level,parent_code\n";

    @Test
    void treeOfAnyDepthInAnyOrderImportsThenReimportUpdates() {
        // Children before parents, and a province with no districts (commune straight under it).
        String csv = HEADER
                + "LT1-1-1,Thôn Đông,4,LT1-1\n"
                + "LT1-1,Xã Tân Phong,3,LT1\n"
                + "LT1,Huyện Tam Đảo,2,LT\n"
                + "LT,Tỉnh Thử,1,\n"
                + "LT-X,Xã Trực Thuộc,3,LT\n";
        as(admin())
                .contentType("text/csv; charset=UTF-8")
                .body(csv)
                .put("/api/v1/localities")
                .then()
                .statusCode(200)
                .body("created", equalTo(5))
                .body("updated", equalTo(0));
        as(admin())
                .get("/api/v1/localities/LT1-1-1")
                .then()
                .statusCode(200)
                .body("name", equalTo("Thôn Đông"))
                .body("level", equalTo(4))
                .body("parentCode", equalTo("LT1-1"));
        as(admin())
                .get("/api/v1/localities/LT/children")
                .then()
                .statusCode(200)
                .body("total", equalTo(2))
                .body("items.code", hasItem("LT-X"));

        // Renaming and moving a village under another commune: an update, and it leaves the old subtree.
        as(admin())
                .contentType("text/csv; charset=UTF-8")
                .body(HEADER + "LT1-1-1,Thôn Đông Mới,4,LT-X\n")
                .put("/api/v1/localities")
                .then()
                .statusCode(200)
                .body("created", equalTo(0))
                .body("updated", equalTo(1));
        as(admin()).get("/api/v1/localities/LT-X/children").then().body("items[0].name", equalTo("Thôn Đông Mới"));
        as(admin()).get("/api/v1/localities/LT1-1/children").then().body("total", equalTo(0));
    }

    @Test
    void unknownParentRefusesTheWholeFile() {
        String csv = HEADER + "LU,Tỉnh U,1,\nLU1,Huyện U,2,LU\nLU2,Huyện Lạc,2,NOWHERE\n";
        as(admin())
                .contentType("text/csv; charset=UTF-8")
                .body(csv)
                .put("/api/v1/localities")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("parent_code"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("line 4"));
        as(admin()).get("/api/v1/localities/LU").then().statusCode(404);
    }

    @Test
    void cyclesAndBadLevelsAreRefused() {
        as(admin())
                .contentType("text/csv; charset=UTF-8")
                .body(HEADER + "LC,Tỉnh C,1,\nLC1,A,2,LC2\nLC2,B,2,LC1\n")
                .put("/api/v1/localities")
                .then()
                .statusCode(400);
        as(admin())
                .contentType("text/csv; charset=UTF-8")
                .body(HEADER + "LV,Tỉnh V,một,\n")
                .put("/api/v1/localities")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("level"));
        as(admin())
                .contentType("text/csv; charset=UTF-8")
                .body("code,name\nLV,Tỉnh V\n")
                .put("/api/v1/localities")
                .then()
                .statusCode(400);
        as(admin()).get("/api/v1/localities/LC").then().statusCode(404);
    }

    @Test
    void movingANodeUnderItsOwnDescendantIsRefused() {
        as(admin())
                .contentType("text/csv; charset=UTF-8")
                .body(HEADER + "LM,Tỉnh M,1,\nLM1,Huyện M,2,LM\nLM1-1,Xã M,3,LM1\n")
                .put("/api/v1/localities")
                .then()
                .statusCode(200);
        as(admin())
                .contentType("text/csv; charset=UTF-8")
                .body(HEADER + "LM1,Huyện M,2,LM1-1\n")
                .put("/api/v1/localities")
                .then()
                .statusCode(400);
        as(admin()).get("/api/v1/localities/LM1").then().body("parentCode", equalTo("LM"));
    }

    @Test
    void childrenArePaginatedWithinLimits() {
        StringBuilder csv = new StringBuilder(HEADER + "LP,Tỉnh P,1,\n");
        for (int i = 0; i < 7; i++) {
            csv.append("LP").append(i).append(",Xã ").append(i).append(",2,LP\n");
        }
        as(admin())
                .contentType("text/csv; charset=UTF-8")
                .body(csv.toString())
                .put("/api/v1/localities")
                .then()
                .statusCode(200);
        as(admin())
                .queryParam("size", 3)
                .queryParam("page", 2)
                .get("/api/v1/localities/LP/children")
                .then()
                .statusCode(200)
                .body("total", equalTo(7))
                .body("items.size()", equalTo(1))
                .body("items[0].code", equalTo("LP6"));
        as(admin())
                .queryParam("size", 100000)
                .get("/api/v1/localities/LP/children")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("size"));
    }
}
