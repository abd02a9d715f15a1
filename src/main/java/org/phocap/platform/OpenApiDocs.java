package org.phocap.platform;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

/**
 * Describes every parameter of /q/openapi in one place, with its allowed values (enumerations where
 * the set is closed), so that a frontend team reads the contract without reading the code. A
 * parameter described on its resource keeps that description. {@code OpenApiTest} fails when an
 * operation has a parameter this table does not describe. Applied by {@link ProblemResponsesFilter},
 * the one OpenAPI filter.
 */
final class OpenApiDocs {
    private OpenApiDocs() {}

    /** By path (an operation's path contains the key) and name: parameters whose meaning depends on the call. */
    static final Map<String, Map<String, Param>> BY_PATH = Map.of(
            "/at-risk",
            Map.of(
                    "status",
                    new Param(
                            "Who to call: never activated, activated without study yet, or stalled",
                            List.of("NOT_ACTIVATED", "NOT_STARTED", "STALLED"))),
            "/integrity-flags",
            Map.of(
                    "status",
                    new Param("Only flags in this review state", List.of("OPEN", "CLEARED", "CONFIRMED")),
                    "kind",
                    new Param(
                            "Only flags of this kind",
                            List.of("SHARED_DEVICE", "CONCURRENT_DEVICES", "IMPLAUSIBLE_PACE", "FAST_QUIZ"))),
            "/report",
            Map.of(
                    "groupBy",
                    new Param(
                            "What the rows group by",
                            List.of("locality", "nominatedBy", "targetGroup", "wave", "gender", "ethnicity"))));

    /** By name alone. */
    static final Map<String, Param> BY_NAME = Map.ofEntries(
            Map.entry("page", new Param("Page number, from 0", null)),
            Map.entry("size", new Param("Items per page, 1 to 500", null)),
            Map.entry(
                    "localityCode", new Param("Only this locality's subtree (a code inside the caller's scope)", null)),
            Map.entry("level", new Param("Locality level below the campaign's locality to group by, 1 to 6", null)),
            Map.entry("campaignId", new Param("Only this campaign", null)),
            Map.entry("learnerId", new Param("Only this learner", null)),
            Map.entry("courseId", new Param("The course", null)),
            Map.entry("from", new Param("From this time, inclusive (RFC 3339)", null)),
            Map.entry("to", new Param("Until this time, exclusive (RFC 3339)", null)),
            Map.entry("issuedFrom", new Param("Issued at or after this time (RFC 3339)", null)),
            Map.entry("issuedTo", new Param("Issued before this time (RFC 3339)", null)),
            Map.entry("idleHours", new Param("Stalled: no study for this many hours, 1 to 720 (default 24)", null)),
            Map.entry("c", new Param("The verification code printed beside the serial (in the QR code's URL)", null)),
            Map.entry("code", new Param("The same as c (an older spelling)", null)),
            Map.entry(
                    "lastEventId",
                    new Param(
                            "Replay after this event id (for a new EventSource, which cannot send Last-Event-ID)",
                            null)),
            Map.entry("id", new Param("The resource's id", null)),
            Map.entry("attemptId", new Param("The quiz attempt", null)),
            Map.entry("flagId", new Param("The integrity flag", null)),
            Map.entry("quizId", new Param("The quiz (ids are in the course outline)", null)),
            Map.entry("waveId", new Param("The wave", null)),
            Map.entry(
                    "serial", new Param("A certificate serial, e.g. VP-2026-000001-H (case and spaces ignored)", null)),
            Map.entry(
                    "Content-Length",
                    new Param("The body's length in bytes, checked against the limit before reading", null)),
            Map.entry(
                    "Idempotency-Key",
                    new Param("A retry with the same key and body within 24 h gets the first answer", null)),
            Map.entry("If-None-Match", new Param("The ETag held: 304 when unchanged", null)),
            Map.entry("Last-Event-ID", new Param("Replay the events after this one", null)),
            Map.entry("Range", new Param("One byte range, e.g. bytes=0-999 (206; 416 past the end)", null)),
            Map.entry("X-Checksum-SHA256", new Param("The upload's SHA-256 in hex: checked when sent", null)),
            Map.entry(
                    "X-Device-Id",
                    new Param(
                            "The learner's device (1 to 100 visible ASCII characters): one device studies at a time",
                            null)),
            Map.entry("X-File-Name", new Param("The uploaded file's name (.xlsx is read as a spreadsheet)", null)));

    record Param(String description, List<String> values) {}

    static void describeParameters(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            for (Operation operation : operations(item)) {
                if (operation.getParameters() == null) {
                    continue;
                }
                for (Parameter parameter : operation.getParameters()) {
                    describe(path, parameter);
                }
            }
        });
    }

    static void describe(String path, Parameter parameter) {
        Param known = null;
        for (var byPath : BY_PATH.entrySet()) {
            if (path.contains(byPath.getKey()) && byPath.getValue().containsKey(parameter.getName())) {
                known = byPath.getValue().get(parameter.getName());
            }
        }
        if (known == null) {
            known = BY_NAME.get(parameter.getName());
        }
        if (known == null) {
            return;
        }
        if (parameter.getDescription() == null || parameter.getDescription().isBlank()) {
            parameter.setDescription(known.description());
        }
        if (known.values() != null) {
            Schema schema = parameter.getSchema() == null ? OASFactory.createSchema() : parameter.getSchema();
            schema.setType(List.of(Schema.SchemaType.STRING));
            schema.setEnumeration(List.copyOf(known.values()));
            parameter.setSchema(schema);
        }
    }

    private static List<Operation> operations(PathItem item) {
        return item.getOperations() == null
                ? List.of()
                : List.copyOf(item.getOperations().values());
    }
}
