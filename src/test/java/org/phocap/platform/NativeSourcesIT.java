package org.phocap.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks what Quarkus' native build steps produced (run by the native-sources profile:
 * -Dquarkus.native.enabled=true -Dquarkus.native.sources-only=true), since no native-image tool
 * runs here: the arguments native-image would get, and the reflection and resource
 * configuration inside the runner jar. A class Jackson or Hibernate reflects on, or a resource
 * the service loads, that is missing here would fail only at run time in the native binary.
 */
class NativeSourcesIT {
    static final Path SOURCES = Path.of("target", "native-sources");
    static final ObjectMapper JSON = new ObjectMapper();
    static List<String> args;
    static Map<String, JsonNode> reflection = new HashMap<>();
    static List<Pattern> resources = new ArrayList<>();

    @BeforeAll
    static void read() throws IOException {
        args = List.of(
                Files.readString(SOURCES.resolve("native-image.args")).trim().split("\\s+"));
        Path runner;
        try (Stream<Path> files = Files.list(SOURCES)) {
            runner = files.filter(p -> p.toString().endsWith("-runner.jar"))
                    .findFirst()
                    .orElseThrow();
        }
        try (ZipFile jar = new ZipFile(runner.toFile())) {
            JsonNode reflect =
                    JSON.readTree(jar.getInputStream(jar.getEntry("META-INF/native-image/reflect-config.json")));
            reflect.forEach(entry -> reflection.put(entry.get("name").asText(), entry));
            JsonNode resourceConfig =
                    JSON.readTree(jar.getInputStream(jar.getEntry("META-INF/native-image/resource-config.json")));
            resourceConfig
                    .path("resources")
                    .path("includes")
                    .forEach(i -> resources.add(Pattern.compile(i.get("pattern").asText())));
        }
    }

    @Test
    void nativeImageArgumentsAreStrictAndInitialiseNothingOfOursAtBuildTime() {
        assertTrue(args.contains("--no-fallback"), "no JVM fallback image");
        assertTrue(args.contains("-H:+AddAllCharsets"), "all charsets (CSV rosters arrive in several)");
        assertTrue(args.contains("--link-at-build-time"));
        for (String arg : args) {
            if (arg.startsWith("--initialize-at-build-time=")) {
                for (String pkg : arg.substring(arg.indexOf('=') + 1).split(",")) {
                    assertFalse(
                            pkg.startsWith("org.phocap") || pkg.startsWith("java.net") || pkg.contains("Socket"),
                            "initialised at build time: " + pkg);
                }
            }
        }
        assertTrue(Files.exists(SOURCES.resolve("graalvm.version")), "the GraalVM version the sources are for");
    }

    /** Classes the code hands to Jackson outside REST signatures, and JPA entities, are registered with their members. */
    @Test
    void everyClassJacksonOrHibernateReflectsOnIsRegistered() throws IOException {
        Set<String> needed = new TreeSet<>();
        // json.write(new X…), json.read(…, X.class), and an ObjectMapper's readerFor / writerFor(X.class).
        Pattern jsonUse = Pattern.compile(
                "(?:json\\.(?:write\\(new|read\\([^;]*?,)\\s*|(?:readerFor|writerFor)\\()([A-Z][\\w.]*)(?:\\(|\\.class)");
        Pattern entity = Pattern.compile("@Entity\\b[\\s\\S]*?class (\\w+)");
        Map<String, String> compiled = compiledClasses();
        try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
            for (Path source :
                    sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(source);
                Matcher m = jsonUse.matcher(text);
                while (m.find()) {
                    needed.add(resolve(m.group(1), compiled));
                }
                Matcher e = entity.matcher(text);
                while (e.find()) {
                    needed.add(resolve(e.group(1), compiled));
                }
            }
        }
        assertTrue(needed.size() >= 8, "the scan found the classes: " + needed);
        for (String name : needed) {
            JsonNode entry = reflection.get(name);
            assertTrue(entry != null, name + " is not registered for reflection");
            boolean members = entry.path("allDeclaredConstructors").asBoolean()
                    || entry.has("methods")
                    || entry.path("allDeclaredMethods").asBoolean()
                    || entry.path("allPublicMethods").asBoolean();
            assertTrue(members, name + " is registered without its members: " + entry);
        }
    }

    /** Every resource the service loads (migrations, fonts, templates, demo data) is in the image. */
    @Test
    void everyResourceIsIncluded() throws IOException {
        Path root = Path.of("src", "main", "resources");
        List<String> missing = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String path = root.relativize(file).toString().replace('\\', '/');
                if (path.equals("application.properties")) {
                    continue; // read at build time into the image's configuration
                }
                if (path.equals("META-INF/openapi.yaml")) {
                    continue; // merged at build time into the generated OpenAPI description
                }
                checked++;
                if (resources.stream().noneMatch(p -> p.matcher(path).matches())) {
                    missing.add(path);
                }
            }
        }
        assertTrue(checked > 15, "resources checked: " + checked);
        assertTrue(missing.isEmpty(), "not in the native image: " + missing);
    }

    /** Simple or dotted nested name (QuizDtos.StoredKey) → binary name, from target/classes. */
    private static String resolve(String name, Map<String, String> compiled) {
        String nested = name.replace('.', '$');
        String found = compiled.get(nested);
        assertTrue(found != null, "no compiled class for " + name);
        return found;
    }

    /** Binary names of the compiled classes, by their name without package (Outer$Inner). */
    private static Map<String, String> compiledClasses() throws IOException {
        Path classes = Path.of("target", "classes");
        Map<String, String> byName = new HashMap<>();
        Set<String> ambiguous = new HashSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String binary =
                        classes.relativize(f).toString().replace(".class", "").replace('/', '.');
                String local = binary.substring(binary.lastIndexOf('.') + 1);
                for (String key : List.of(local, local.substring(local.indexOf('$') + 1))) {
                    if (byName.containsKey(key) && !byName.get(key).equals(binary)) {
                        ambiguous.add(key);
                    }
                    byName.put(key, binary);
                }
            }
        }
        ambiguous.forEach(byName::remove);
        return byName;
    }
}
