package org.phocap.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phocap.platform.Api;
import org.phocap.platform.PostgresResource;
import org.phocap.platform.Secrets;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class ActivationTest {
    static final String P = "AC";
    static final String HEADER = Api.ROSTER_HEADER;

    @BeforeEach
    void province() {
        Api.treeOnce(P);
    }

    /** Imports the given people and answers the activation code of each, in file order. */
    static List<String> enrolAndGetCodes(List<String> phones) {
        long campaign = Api.campaign(P);
        StringBuilder csv = new StringBuilder(HEADER);
        for (String phone : phones) {
            csv.append("Học Viên ")
                    .append(phone)
                    .append(',')
                    .append(phone)
                    .append(",1990,Nữ,Kinh,")
                    .append(P)
                    .append("1-1-1,VILLAGE,\n");
        }
        long importId = Api.upload(
                admin(), campaign, csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/csv");
        assertEquals(phones.size(), Api.finished(admin(), importId).getInt("created"));
        String codes = as(admin())
                .get("/api/v1/imports/" + importId + "/activation-codes.csv")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        List<String> lines = Arrays.asList(codes.split("\n"));
        assertEquals("name,phone,locality,code", lines.get(0));
        return phones.stream()
                .map(phone -> lines.stream()
                        .filter(l -> l.contains(Api.e164(phone)))
                        .findFirst()
                        .map(l -> Secrets.remember(l.substring(l.lastIndexOf(',') + 1)))
                        .orElseThrow())
                .toList();
    }

    static io.restassured.response.Response activate(String phone, String code, String pin) {
        Secrets.remember(pin);
        return given().contentType(ContentType.JSON)
                .body(Map.of("phone", phone, "code", code, "pin", pin))
                .post("/api/v1/auth/activate");
    }

    @Test
    void goodCodeActivatesThenThePinSignsIn() {
        String phone = Api.phone(20, 1);
        String code = enrolAndGetCodes(List.of(phone)).get(0);
        JsonPath tokens = activate(
                        "0" + phone.substring(1, 4) + " " + phone.substring(4, 7) + " " + phone.substring(7),
                        code,
                        "246810")
                .then()
                .statusCode(200)
                .body("role", equalTo("LEARNER"))
                .extract()
                .jsonPath();
        assertTrue(Secrets.remember(tokens.getString("accessToken")).length() > 20);
        Secrets.remember(tokens.getString("refreshToken"));
        // Any common spelling of the phone works with the PIN.
        for (String spelling : List.of(phone, Api.e164(phone), Api.e164(phone).substring(1))) {
            assertEquals("LEARNER", Api.login(spelling, "246810").getString("role"));
        }
        // A learner is not staff.
        as(tokens.getString("accessToken"))
                .get("/api/v1/campaigns")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        // Once used, the code leaves the activation list.
        String codes = as(admin()).get("/api/v1/campaigns").then().extract().asString();
        assertTrue(codes.length() > 0);
    }

    @Test
    void wrongCodeIsRefusedWith400() {
        String phone = Api.phone(20, 2);
        enrolAndGetCodes(List.of(phone));
        activate(phone, "ZZZZZZZZ", "123456")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("code"));
    }

    @Test
    void usedCodeIsRefusedWith400AndThePinStays() {
        String phone = Api.phone(20, 3);
        String code = enrolAndGetCodes(List.of(phone)).get(0);
        activate(phone, code, "111111").then().statusCode(200);
        activate(phone, code, "222222").then().statusCode(400).contentType("application/problem+json");
        Api.login(phone, "111111");
        given().contentType(ContentType.JSON)
                .body(Map.of("username", phone, "password", "222222"))
                .post("/api/v1/auth/login")
                .then()
                .statusCode(401);
    }

    @Test
    void pinMustBeSixDigits() {
        String phone = Api.phone(20, 4);
        String code = enrolAndGetCodes(List.of(phone)).get(0);
        activate(phone, code, "12ab").then().statusCode(400).body("errors[0].field", equalTo("pin"));
        // The failed try did not use up the code.
        activate(phone, code, "654321").then().statusCode(200);
    }

    @Test
    void unknownPhoneLooksLikeAWrongCode() {
        activate(Api.phone(20, 999), "ABCDEFGH", "123456")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("code"));
    }
}
