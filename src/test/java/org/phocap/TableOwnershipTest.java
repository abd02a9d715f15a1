package org.phocap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every table has one owning feature package, and only that package's code names it in SQL (or
 * maps it with {@code @Table}). Other features call the owner's store or read the view the owner
 * publishes for them ({@code <table>_view}, made in {@code V21__published_views.sql}); nobody
 * writes through a view. The rule and its reasons: docs/architecture.md, "Who owns which table".
 *
 * <p>The SQL is found in the string literals (and text blocks) of {@code src/main/java}, where a
 * table name follows FROM, DELETE FROM, JOIN, INTO, UPDATE, TABLE or USING.
 */
class TableOwnershipTest {
    /** The owner of every table of the schema. */
    static final Map<String, String> OWNERS = owners(Map.ofEntries(
            Map.entry("platform", "idempotent_request scheduled_job"),
            Map.entry("auth", "refresh_token stream_ticket"),
            Map.entry("locality", "locality"),
            Map.entry("staff", "staff_account"),
            Map.entry("audit", "audit_entry"),
            Map.entry("stream", "stream_event"),
            Map.entry(
                    "course",
                    "course course_version course_version_lesson course_version_quiz lesson lesson_media quiz"),
            Map.entry("campaign", "campaign wave enrolment announcement locality_support"),
            Map.entry("roster", "learner roster_import roster_reject"),
            Map.entry("integrity", "integrity_flag device_use"),
            Map.entry("certificate", "certificate certificate_pdf course_completion"),
            Map.entry("progress", "lesson_progress learner_presence completion_check"),
            Map.entry("quiz", "quiz_attempt"),
            Map.entry("report", "report_counter report_rollup report_rollup_delta report_rollup_state")));

    /**
     * Tables no Java names: {@code report_counter} is kept by the counting triggers and read only by
     * {@code report_rollup_rebuild()} (V23__report_rollup.sql); reports read the roll-ups.
     */
    static final Set<String> DATABASE_ONLY = Set.of("report_counter");

    static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
    static final Path SOURCES = Path.of("src/main/java/org/phocap");

    private static final Pattern LITERAL =
            Pattern.compile("\"\"\"(.*?)\"\"\"|\"((?:[^\"\\\\\\n]|\\\\.)*)\"", Pattern.DOTALL);
    private static final Pattern CREATED = Pattern.compile(
            "\\bCREATE\\s+(TABLE|VIEW)\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(\\w+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern ENTITY_TABLE = Pattern.compile("@Table\\(\\s*name\\s*=\\s*\"(\\w+)\"");

    /** A place where a feature's code names a table or view. */
    record Reference(String pkg, String file, String verb, String name) {
        boolean writes() {
            return verb.toLowerCase().startsWith("delete")
                    || verb.equalsIgnoreCase("into")
                    || verb.equalsIgnoreCase("update")
                    || verb.equalsIgnoreCase("table");
        }

        @Override
        public String toString() {
            return pkg + "/" + file + ": " + verb.toUpperCase().replaceAll("\\s+", " ") + " " + name;
        }
    }

    @Test
    void everyTableOfTheSchemaHasAnOwnerAndEveryViewIsPublishedByOne() throws IOException {
        Schema schema = schema();
        assertEquals(new TreeSet<>(OWNERS.keySet()), schema.tables(), "tables of the migrations vs owners named here");
        for (String view : schema.views()) {
            assertTrue(
                    view.endsWith("_view") && OWNERS.containsKey(view.substring(0, view.length() - "_view".length())),
                    view + " is not named <table>_view after a table with an owner");
        }
    }

    @Test
    void onlyATablesOwnerNamesItAndNobodyWritesThroughAView() throws IOException {
        Schema schema = schema();
        List<Reference> references = references(schema);
        List<String> foreign = new ArrayList<>();
        for (Reference r : references) {
            String owner = OWNERS.get(r.name());
            if (owner != null && !owner.equals(r.pkg())) {
                foreign.add(r + " (owned by " + owner + ")");
            }
            if (schema.views().contains(r.name()) && r.writes()) {
                foreign.add(r + " (a view is for reading)");
            }
        }
        assertEquals(List.of(), foreign, "SQL naming another feature's table");
        // The scan must see the owners' own SQL, or it proves nothing: every table is named by its owner,
        // but for the ones only the migrations' triggers and functions use.
        Set<String> namedByOwner = references.stream()
                .filter(r -> r.pkg().equals(OWNERS.get(r.name())))
                .map(Reference::name)
                .collect(Collectors.toCollection(TreeSet::new));
        namedByOwner.addAll(DATABASE_ONLY);
        assertEquals(new TreeSet<>(OWNERS.keySet()), namedByOwner, "tables whose owner's SQL the scan found");
    }

    @Test
    void theScanFindsAForeignReferenceWhenThereIsOne() {
        Schema schema = new Schema(new TreeSet<>(OWNERS.keySet()), new TreeSet<>(Set.of("learner_view")));
        String source = "class X { String a = \"SELECT 1 FROM learner le JOIN enrolment e ON e.learner_id = le.id\";"
                + " String b = \"\"\"\n UPDATE learner_view SET full_name = 'x'\"\"\"; }";
        List<Reference> found = referencesIn("progress", "X.java", source, schema);
        assertEquals(
                List.of(
                        "progress/X.java: FROM learner",
                        "progress/X.java: JOIN enrolment",
                        "progress/X.java: UPDATE learner_view"),
                found.stream().map(Reference::toString).toList());
        assertTrue(found.get(2).writes());
    }

    record Schema(Set<String> tables, Set<String> views) {}

    static Schema schema() throws IOException {
        Set<String> tables = new TreeSet<>();
        Set<String> views = new TreeSet<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
                Matcher m = CREATED.matcher(Files.readString(file));
                while (m.find()) {
                    (m.group(1).equalsIgnoreCase("table") ? tables : views)
                            .add(m.group(2).toLowerCase());
                }
            }
        }
        return new Schema(tables, views);
    }

    static List<Reference> references(Schema schema) throws IOException {
        List<Reference> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String pkg = SOURCES.relativize(file).getName(0).toString();
                out.addAll(referencesIn(pkg, file.getFileName().toString(), Files.readString(file), schema));
            }
        }
        return out;
    }

    static List<Reference> referencesIn(String pkg, String file, String source, Schema schema) {
        Set<String> names = new TreeSet<>(schema.tables());
        names.addAll(schema.views());
        Pattern named = Pattern.compile(
                "\\b(delete\\s+from|from|join|into|update|table|using)\\s+(?:only\\s+)?("
                        + names.stream()
                                .sorted((a, b) -> b.length() - a.length())
                                .collect(Collectors.joining("|"))
                        + ")\\b",
                Pattern.CASE_INSENSITIVE);
        List<Reference> out = new ArrayList<>();
        Matcher literal = LITERAL.matcher(source);
        while (literal.find()) {
            String text = literal.group(1) != null ? literal.group(1) : literal.group(2);
            Matcher m = named.matcher(text);
            while (m.find()) {
                out.add(new Reference(pkg, file, m.group(1), m.group(2).toLowerCase()));
            }
        }
        Matcher entity = ENTITY_TABLE.matcher(source);
        while (entity.find()) {
            out.add(new Reference(pkg, file, "@Table", entity.group(1)));
        }
        return out;
    }

    private static Map<String, String> owners(Map<String, String> tablesByPackage) {
        Map<String, String> owners = new TreeMap<>();
        tablesByPackage.forEach((pkg, tables) -> {
            for (String table : tables.split(" ")) {
                owners.put(table, pkg);
            }
        });
        return owners;
    }
}
