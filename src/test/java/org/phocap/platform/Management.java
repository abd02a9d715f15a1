package org.phocap.platform;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The management interface (/q/health, /q/metrics, /q/openapi) of the application under test: its
 * own port, quarkus.management.test-port (the packaged-jar tests are given the same one).
 */
public final class Management {
    private Management() {}

    public static int port() {
        return ConfigProvider.getConfig()
                .getOptionalValue("quarkus.management.test-port", Integer.class)
                .orElse(9001);
    }

    /** The application's OpenAPI description, as JSON. */
    public static JsonPath openApi() {
        return given().queryParam("format", "json")
                .get(url("/q/openapi"))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** The absolute URL of a management path, e.g. {@code url("/q/metrics")}. */
    public static String url(String path) {
        return "http://localhost:" + port() + path;
    }
}
