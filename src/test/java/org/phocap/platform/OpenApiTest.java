package org.phocap.platform;

import static io.restassured.RestAssured.given;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class OpenApiTest {
    static final List<String[]> ENDPOINTS = List.of(
            new String[] {"/api/v1/auth/login", "post"},
            new String[] {"/api/v1/auth/activate", "post"},
            new String[] {"/api/v1/auth/refresh", "post"},
            new String[] {"/api/v1/auth/logout", "post"},
            new String[] {"/api/v1/staff", "post"},
            new String[] {"/api/v1/localities", "put"},
            new String[] {"/api/v1/localities/{code}", "get"},
            new String[] {"/api/v1/localities/{code}/children", "get"},
            new String[] {"/api/v1/campaigns", "post"},
            new String[] {"/api/v1/campaigns", "get"},
            new String[] {"/api/v1/campaigns/{id}", "get"},
            new String[] {"/api/v1/campaigns/{id}/waves", "post"},
            new String[] {"/api/v1/campaigns/{id}/waves", "get"},
            new String[] {"/api/v1/campaigns/{id}/waves/{waveId}", "get"},
            new String[] {"/api/v1/campaigns/{id}/waves/{waveId}/learners", "post"},
            new String[] {"/api/v1/campaigns/{id}/roster", "post"},
            new String[] {"/api/v1/campaigns/{id}/learners", "get"},
            new String[] {"/api/v1/learners/{id}", "get"},
            new String[] {"/api/v1/imports/{id}", "get"},
            new String[] {"/api/v1/imports/{id}/events", "get"},
            new String[] {"/api/v1/imports/{id}/rejected.csv", "get"},
            new String[] {"/api/v1/imports/{id}/activation-codes.csv", "get"},
            new String[] {"/api/v1/courses", "post"},
            new String[] {"/api/v1/courses/{id}", "get"},
            new String[] {"/api/v1/lessons/{id}", "get"},
            new String[] {"/api/v1/lessons/{id}/media", "get"},
            new String[] {"/api/v1/lessons/{id}/media", "head"},
            new String[] {"/api/v1/lessons/{id}/media", "put"},
            new String[] {"/api/v1/me/courses/{courseId}/stream", "get"},
            new String[] {"/api/v1/me", "get"},
            new String[] {"/api/v1/me/courses", "get"},
            new String[] {"/api/v1/me/heartbeats", "post"},
            new String[] {"/api/v1/me/heartbeats:batch", "post"},
            new String[] {"/api/v1/me/progress", "get"},
            new String[] {"/api/v1/me/quizzes/{quizId}/attempts", "post"},
            new String[] {"/api/v1/me/attempts/{attemptId}", "get"},
            new String[] {"/api/v1/me/attempts/{attemptId}/answers", "put"},
            new String[] {"/api/v1/me/attempts/{attemptId}/submit", "post"},
            new String[] {"/api/v1/courses/{id}/broadcast", "post"},
            new String[] {"/api/v1/me/certificates", "get"},
            new String[] {"/api/v1/certificates", "get"},
            new String[] {"/api/v1/certificates/{serial}.pdf", "get"},
            new String[] {"/api/v1/certificates/{serial}/revoke", "post"},
            new String[] {"/api/v1/public/certificates/{serial}", "get"},
            new String[] {"/verify/{serial}", "get"},
            new String[] {"/api/v1/campaigns/{id}/report", "get"},
            new String[] {"/api/v1/campaigns/{id}/leaderboard", "get"},
            new String[] {"/api/v1/campaigns/{id}/live", "get"},
            new String[] {"/api/v1/campaigns/{id}/at-risk", "get"},
            new String[] {"/api/v1/campaigns/{id}/wave-plan", "post"},
            new String[] {"/api/v1/campaigns/{id}/wave-plan/apply", "post"},
            new String[] {"/api/v1/localities/{code}/support", "put"},
            new String[] {"/api/v1/localities/{code}/support", "get"},
            new String[] {"/api/v1/me/support", "get"},
            new String[] {"/api/v1/announcements", "post"},
            new String[] {"/api/v1/campaigns/{id}/integrity-flags", "get"},
            new String[] {"/api/v1/integrity-flags/{flagId}/review", "post"},
            new String[] {"/api/v1/campaigns/{id}/certificate-policy", "get"},
            new String[] {"/api/v1/campaigns/{id}/certificate-policy", "put"});

    @Test
    void everyEndpointIsDescribedWithItsSchemas() {
        JsonPath doc = Management.openApi();
        Map<String, Object> paths = doc.getMap("paths");
        for (String[] endpoint : ENDPOINTS) {
            org.junit.jupiter.api.Assertions.assertTrue(paths.containsKey(endpoint[0]), "missing path " + endpoint[0]);
            Map<String, Object> operations = doc.getMap("paths.'" + endpoint[0] + "'");
            org.junit.jupiter.api.Assertions.assertTrue(
                    operations.containsKey(endpoint[1]), "missing " + endpoint[1] + " " + endpoint[0]);
        }
        // Request and response bodies are described by schemas, not left blank.
        org.junit.jupiter.api.Assertions.assertNotNull(
                doc.get("paths.'/api/v1/auth/login'.post.requestBody.content.'application/json'.schema"));
        org.junit.jupiter.api.Assertions.assertNotNull(
                doc.get("paths.'/api/v1/auth/login'.post.responses.'200'.content.'application/json'.schema"));
        org.junit.jupiter.api.Assertions.assertNotNull(
                doc.get("paths.'/api/v1/campaigns/{id}/roster'.post.requestBody.content.'text/csv'.schema"));
        for (String schema : List.of(
                "TokenPair",
                "CreateCampaign",
                "CampaignView",
                "CreateWave",
                "WaveView",
                "ImportStatus",
                "LocalityDto",
                "CreateStaffRequest",
                "StaffDto",
                "Problem",
                "CertificateView",
                "Verification",
                "RevokeRequest")) {
            org.junit.jupiter.api.Assertions.assertNotNull(doc.get("components.schemas." + schema), "schema " + schema);
        }
    }

    /** docs/api.md and /q/openapi name the same operations: one cannot change without the other. */
    @Test
    void theApiDocumentAndTheGeneratedDescriptionNameTheSameOperations() throws java.io.IOException {
        JsonPath doc = Management.openApi();
        java.util.Set<String> generated = new java.util.TreeSet<>();
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        paths.forEach((path, operations) -> operations.keySet().stream()
                .filter(m -> java.util.Set.of("get", "post", "put", "patch", "delete", "head")
                        .contains(m))
                .forEach(m -> generated.add(m.toUpperCase() + " " + path)));
        String text = java.nio.file.Files.readString(java.nio.file.Path.of("docs", "api.md"));
        java.util.Set<String> written = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("`(GET|POST|PUT|PATCH|DELETE|HEAD) (/[^`\\s]+)`")
                .matcher(text);
        while (m.find()) {
            written.add(m.group(1) + " " + m.group(2));
        }
        java.util.Set<String> undocumented = new java.util.TreeSet<>(generated);
        undocumented.removeAll(written);
        java.util.Set<String> unknown = new java.util.TreeSet<>(written);
        unknown.removeAll(generated);
        org.junit.jupiter.api.Assertions.assertTrue(
                undocumented.isEmpty(), "in /q/openapi, not in docs/api.md: " + undocumented);
        org.junit.jupiter.api.Assertions.assertTrue(unknown.isEmpty(), "in docs/api.md, not in /q/openapi: " + unknown);
    }

    @Test
    void swaggerUiIsServed() {
        given().get(Management.url("/q/swagger-ui/")).then().statusCode(200);
    }

    /**
     * What a frontend team needs from the description: every operation under one feature tag that is
     * described, every parameter described (closed sets as enumerations), a success answer for every
     * operation.
     */
    @Test
    void everyOperationIsTaggedEveryParameterDescribedAndEverySuccessDocumented() {
        JsonPath doc = Management.openApi();
        java.util.Map<String, String> tags = new java.util.HashMap<>();
        for (Map<String, Object> tag : doc.<Map<String, Object>>getList("tags")) {
            tags.put((String) tag.get("name"), (String) tag.get("description"));
        }
        java.util.List<String> problems = new java.util.ArrayList<>();
        tags.forEach((name, description) -> {
            if (description == null || description.isBlank()) {
                problems.add("tag " + name + " has no description");
            }
        });
        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        paths.forEach((path, operations) -> operations.forEach((method, value) -> {
            if (!java.util.Set.of("get", "post", "put", "patch", "delete").contains(method)) {
                return;
            }
            String call = method.toUpperCase() + " " + path;
            @SuppressWarnings("unchecked")
            java.util.List<String> opTags = (java.util.List<String>) value.get("tags");
            if (opTags == null || opTags.size() != 1 || !tags.containsKey(opTags.get(0))) {
                problems.add(call + " has tags " + opTags);
            }
            @SuppressWarnings("unchecked")
            java.util.List<Map<String, Object>> parameters =
                    (java.util.List<Map<String, Object>>) value.get("parameters");
            for (Map<String, Object> parameter :
                    parameters == null ? java.util.List.<Map<String, Object>>of() : parameters) {
                Object description = parameter.get("description");
                if (description == null || description.toString().isBlank()) {
                    problems.add(call + " parameter " + parameter.get("name") + " has no description");
                }
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> responses = (Map<String, Object>) value.get("responses");
            if (responses == null
                    || responses.keySet().stream().noneMatch(c -> c.startsWith("2") || c.startsWith("3"))) {
                problems.add(call + " documents no success answer");
            }
        }));
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(), problems);
        org.junit.jupiter.api.Assertions.assertEquals(
                List.of("NOT_ACTIVATED", "NOT_STARTED", "STALLED"),
                doc.getList(
                        "paths.'/api/v1/campaigns/{id}/at-risk'.get.parameters.find { it.name == 'status' }.schema.enum"));
        org.junit.jupiter.api.Assertions.assertEquals(
                List.of("OPEN", "CLEARED", "CONFIRMED"),
                doc.getList(
                        "paths.'/api/v1/campaigns/{id}/integrity-flags'.get.parameters.find { it.name == 'status' }.schema.enum"));
    }
}
