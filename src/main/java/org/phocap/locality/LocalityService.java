package org.phocap.locality;

import de.siegmar.fastcsv.reader.CsvRecord;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.phocap.platform.Csv;
import org.phocap.platform.Page;
import org.phocap.platform.Problem;
import org.phocap.platform.ProblemException;

/** The administrative tree: CSV upserts, lookups, and the scope arithmetic every staff query uses. */
@ApplicationScoped
public class LocalityService {
    static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

    private final Pool pool;

    public LocalityService(Pool pool) {
        this.pool = pool;
    }

    /** Turns scope codes into subtree paths; unknown codes reach nothing. Callers go through {@link StaffScope}. */
    public Uni<Scope> scopeOf(List<String> codes) {
        if (codes.contains(Scope.WHOLE_TREE)) {
            return Uni.createFrom().item(Scope.everything());
        }
        return pool.preparedQuery("SELECT path FROM locality WHERE code = ANY($1)")
                .execute(Tuple.of(codes.toArray(String[]::new)))
                .map(rows -> {
                    List<String> paths = new ArrayList<>();
                    rows.forEach(row -> paths.add(row.getString(0)));
                    return Scope.of(paths);
                });
    }

    public Uni<LocalityDto> get(String code, Scope scope) {
        return pool.preparedQuery("""
                        SELECT l.code, l.name, l.level, l.parent_code,
                               (SELECT count(*) FROM locality c WHERE c.parent_code = l.code) AS children
                        FROM locality l WHERE l.code = $1 AND l.path LIKE ANY($2)""").execute(Tuple.of(code, scope.patterns())).map(rows -> {
            if (rows.size() == 0) {
                throw ProblemException.notFound("No locality '" + code + "' in your scope.");
            }
            return toDto(rows.iterator().next());
        });
    }

    /**
     * A locality named in a request body: 400 when no such code exists, 403 when it lies outside the
     * caller's scope (locality codes are public administrative codes, so saying so reveals nothing).
     */
    public Uni<LocalityDto> named(String code, Scope scope, String field) {
        return pool.preparedQuery("""
                        SELECT l.code, l.name, l.level, l.parent_code, l.path,
                               (SELECT count(*) FROM locality c WHERE c.parent_code = l.code) AS children
                        FROM locality l WHERE l.code = $1""").execute(Tuple.of(code)).map(rows -> {
            if (rows.size() == 0) {
                throw ProblemException.invalid(field, "unknown locality '" + code + "'");
            }
            Row row = rows.iterator().next();
            if (!scope.covers(row.getString("path"))) {
                throw ProblemException.forbidden("Locality '" + code + "' is outside your scope.");
            }
            return toDto(row);
        });
    }

    public Uni<Page<LocalityDto>> children(String code, Scope scope, int page, int size) {
        return get(code, scope)
                .flatMap(parent -> pool.preparedQuery("""
                        SELECT l.code, l.name, l.level, l.parent_code,
                               (SELECT count(*) FROM locality c WHERE c.parent_code = l.code) AS children,
                               count(*) OVER () AS total
                        FROM locality l WHERE l.parent_code = $1 AND l.path LIKE ANY($2)
                        ORDER BY l.code LIMIT $3 OFFSET $4""")
                        .execute(Tuple.of(code, scope.patterns(), size, (long) page * size))
                        .map(rows -> Page.of(rows, LocalityService::toDto, page, size)));
    }

    /**
     * Upserts the tree from CSV (code,name,level,parent_code). All or nothing: any bad line
     * refuses the whole file with every problem listed.
     */
    public Uni<LocalityImportResult> importCsv(String csv, Scope scope) {
        Map<String, Parsed> rows = parse(csv);
        // Locked so that a concurrent upload cannot move a row between this check and the upsert.
        return pool.withTransaction(conn -> conn.preparedQuery(
                        "SELECT code, parent_code, path FROM locality WHERE code = ANY($1) FOR UPDATE")
                .execute(Tuple.of(java.util.stream.Stream.concat(
                                rows.keySet().stream(),
                                rows.values().stream().map(Parsed::parent).filter(p -> p != null))
                        .distinct()
                        .toArray(String[]::new)))
                .flatMap(found -> {
                    Map<String, Existing> existing = new HashMap<>();
                    found.forEach(r -> existing.put(r.getString(0), new Existing(r.getString(1), r.getString(2))));
                    List<Problem.FieldError> errors = new ArrayList<>();
                    rows.values().forEach(row -> {
                        if (row.parent() != null
                                && !rows.containsKey(row.parent())
                                && !existing.containsKey(row.parent())) {
                            errors.add(new Problem.FieldError(
                                    "parent_code", "line " + row.line() + ": unknown parent '" + row.parent() + "'"));
                        }
                    });
                    if (!errors.isEmpty()) {
                        throw invalidFile(errors);
                    }
                    if (!scope.wholeTree()) {
                        checkInsideScope(rows, existing, scope);
                    }
                    List<Parsed> ordered = parentsFirst(rows);
                    return conn.preparedQuery("""
                                    INSERT INTO locality (code, name, level, parent_code, path)
                                    SELECT c, n, l, p, '' FROM unnest($1::varchar[], $2::varchar[], $3::int[], $4::varchar[])
                                         WITH ORDINALITY AS t(c, n, l, p, o) ORDER BY o
                                    ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level,
                                         parent_code = excluded.parent_code
                                    RETURNING (xmax = 0) AS inserted""")
                            .execute(Tuple.of(
                                    ordered.stream().map(Parsed::code).toArray(String[]::new),
                                    ordered.stream().map(Parsed::name).toArray(String[]::new),
                                    ordered.stream().map(Parsed::level).toArray(Integer[]::new),
                                    ordered.stream().map(Parsed::parent).toArray(String[]::new)))
                            .flatMap(result -> {
                                int created = 0;
                                for (Row r : result) {
                                    if (r.getBoolean(0)) {
                                        created++;
                                    }
                                }
                                int inserted = created;
                                return recomputePaths(conn)
                                        .map(x -> new LocalityImportResult(inserted, result.size() - inserted));
                            });
                }));
    }

    private record Existing(String parent, String path) {}

    /**
     * A staff member without the whole tree edits only inside their subtrees: every row names a
     * locality already inside (or a new one), its parent lies inside, and a subtree's own root keeps
     * its parent (moving it would carry the subtree across the boundary). Outside reads as unknown.
     */
    private static void checkInsideScope(Map<String, Parsed> rows, Map<String, Existing> existing, Scope scope) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (Parsed row : rows.values()) {
            Existing now = existing.get(row.code());
            if (now != null && !scope.covers(now.path())) {
                errors.add(new Problem.FieldError(
                        "code", "line " + row.line() + ": no locality '" + row.code() + "' in your scope"));
                continue;
            }
            boolean scopeRoot =
                    now != null && java.util.Arrays.asList(scope.paths()).contains(now.path());
            if (scopeRoot) {
                if (!java.util.Objects.equals(row.parent(), now.parent())) {
                    errors.add(new Problem.FieldError(
                            "parent_code",
                            "line " + row.line() + ": '" + row.code()
                                    + "' is the root of your scope; only an ADMIN of the whole tree can move it"));
                }
            } else if (row.parent() == null
                    || !insideScope(row.parent(), rows, existing, scope, new java.util.HashSet<>())) {
                errors.add(new Problem.FieldError(
                        "parent_code", "line " + row.line() + ": the parent must be a locality inside your scope"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(
                    403,
                    "forbidden",
                    "Outside your scope",
                    "The file was refused; nothing changed. " + errors.size() + " row(s) reach outside your scope.",
                    errors);
        }
    }

    /** Whether a code lies inside the scope once the file is applied (new rows hang under their parent). */
    private static boolean insideScope(
            String code,
            Map<String, Parsed> rows,
            Map<String, Existing> existing,
            Scope scope,
            java.util.Set<String> seen) {
        Existing now = existing.get(code);
        if (now != null && !rows.containsKey(code)) {
            return scope.covers(now.path());
        }
        if (now != null && java.util.Arrays.asList(scope.paths()).contains(now.path())) {
            return true;
        }
        Parsed row = rows.get(code);
        if (row == null || row.parent() == null || !seen.add(code)) {
            return false;
        }
        return insideScope(row.parent(), rows, existing, scope, seen);
    }

    private Uni<Void> recomputePaths(io.vertx.mutiny.sqlclient.SqlConnection conn) {
        // Rows caught in a parent cycle are unreachable from any root: they are the ones refused.
        return conn.query("""
                        WITH RECURSIVE t(code, path) AS (
                            SELECT code, '/' || code || '/' FROM locality WHERE parent_code IS NULL
                            UNION ALL
                            SELECT c.code, t.path || c.code || '/' FROM locality c JOIN t ON c.parent_code = t.code),
                        moved AS (
                            UPDATE locality l SET path = t.path FROM t WHERE l.code = t.code AND l.path <> t.path
                            RETURNING l.code)
                        SELECT l.code FROM locality l WHERE NOT EXISTS (SELECT 1 FROM t WHERE t.code = l.code)
                        ORDER BY l.code LIMIT 5""").execute().map(cyclic -> {
            if (cyclic.size() > 0) {
                List<Problem.FieldError> errors = new ArrayList<>();
                cyclic.forEach(r -> errors.add(new Problem.FieldError(
                        "parent_code", "'" + r.getString(0) + "' would become its own ancestor")));
                throw invalidFile(errors);
            }
            return null;
        });
    }

    private record Parsed(int line, String code, String name, Integer level, String parent) {}

    private static Map<String, Parsed> parse(String csv) {
        Map<String, Parsed> rows = new LinkedHashMap<>();
        List<Problem.FieldError> errors = new ArrayList<>();
        Map<String, Integer> columns = new HashMap<>();
        try (var reader = Csv.reader(new StringReader(csv))) {
            for (CsvRecord record : reader) {
                if (columns.isEmpty()) {
                    for (int i = 0; i < record.getFieldCount(); i++) {
                        columns.put(Csv.headerKey(record.getField(i)), i);
                    }
                    for (String required : List.of("code", "name", "level", "parent_code")) {
                        if (!columns.containsKey(required)) {
                            errors.add(new Problem.FieldError(required, "line 1: missing column '" + required + "'"));
                        }
                    }
                    if (!errors.isEmpty()) {
                        throw invalidFile(errors);
                    }
                    continue;
                }
                int line = (int) record.getStartingLineNumber();
                String code = cell(record, columns.get("code"));
                String name = Normalizer.normalize(cell(record, columns.get("name")), Normalizer.Form.NFC);
                String levelText = cell(record, columns.get("level"));
                String parent = cell(record, columns.get("parent_code"));
                if (!CODE.matcher(code).matches()) {
                    errors.add(new Problem.FieldError(
                            "code", "line " + line + ": code must be 1-32 letters, digits, '.', '_' or '-'"));
                    continue;
                }
                if (name.isEmpty() || name.length() > 200 || name.chars().anyMatch(Character::isISOControl)) {
                    errors.add(new Problem.FieldError(
                            "name",
                            "line " + line + ": name is required (at most 200 characters, no control characters)"));
                }
                Integer level = null;
                try {
                    level = Integer.valueOf(levelText);
                    if (level < 1 || level > 10) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    errors.add(new Problem.FieldError(
                            "level", "line " + line + ": level must be a whole number from 1 to 10"));
                }
                if (code.equals(parent)) {
                    errors.add(new Problem.FieldError(
                            "parent_code", "line " + line + ": a locality cannot be its own parent"));
                }
                if (rows.containsKey(code)) {
                    errors.add(new Problem.FieldError(
                            "code",
                            "line " + line + ": code '" + code + "' repeats line "
                                    + rows.get(code).line()));
                }
                rows.put(code, new Parsed(line, code, name, level, parent.isEmpty() ? null : parent));
                if (errors.size() >= 100) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (columns.isEmpty()) {
            errors.add(new Problem.FieldError("body", "the CSV is empty; expected header code,name,level,parent_code"));
        }
        if (!errors.isEmpty()) {
            throw invalidFile(errors);
        }
        return rows;
    }

    private static String cell(CsvRecord record, int index) {
        return index < record.getFieldCount() ? record.getField(index).strip() : "";
    }

    /** Orders rows so that every parent in the file comes before its children; refuses cycles. */
    private static List<Parsed> parentsFirst(Map<String, Parsed> rows) {
        Map<String, Integer> depth = new HashMap<>();
        for (Parsed row : rows.values()) {
            depthOf(row.code(), rows, depth, new java.util.HashSet<>());
        }
        List<Parsed> ordered = new ArrayList<>(rows.values());
        ordered.sort(java.util.Comparator.comparingInt(r -> depth.get(r.code())));
        return ordered;
    }

    private static int depthOf(
            String code, Map<String, Parsed> rows, Map<String, Integer> depth, java.util.Set<String> visiting) {
        Integer known = depth.get(code);
        if (known != null) {
            return known;
        }
        Parsed row = rows.get(code);
        if (row == null || row.parent() == null || !rows.containsKey(row.parent())) {
            depth.put(code, 0);
            return 0;
        }
        if (!visiting.add(code)) {
            throw invalidFile(List.of(new Problem.FieldError(
                    "parent_code", "line " + row.line() + ": '" + code + "' is part of a parent cycle")));
        }
        int d = depthOf(row.parent(), rows, depth, visiting) + 1;
        depth.put(code, d);
        return d;
    }

    static ProblemException invalidFile(List<Problem.FieldError> errors) {
        return new ProblemException(
                400,
                "validation",
                "Invalid locality file",
                "The file was refused; nothing changed. " + errors.size() + " problem(s) listed.",
                errors);
    }

    private static LocalityDto toDto(Row row) {
        return new LocalityDto(
                row.getString("code"),
                row.getString("name"),
                row.getInteger("level"),
                row.getString("parent_code"),
                row.getLong("children").intValue());
    }
}
