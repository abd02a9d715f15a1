package org.phocap.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders each overlay with kustomize and reads every object with the Kubernetes object model
 * (fabric8), failing on any field the model does not know, then checks that the objects fit
 * together and fit the application: selectors, probes, ports, environment, secrets, database.
 * A @QuarkusTest so that probe and metrics paths are asked of the running application.
 *
 * <p>Renderer: {@code kubectl kustomize}, or the command in PHOCAP_KUSTOMIZE (.ci/run sets it to
 * {@code kustomize build} where kubectl is missing).
 */
@Tag("kustomize")
@QuarkusTest
@WithTestResource(PostgresResource.class)
class KubernetesManifestsTest {
    static final String NAMESPACE = "phocap";
    static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /** The Kubernetes kinds the manifests may hold, by apiVersion/kind. */
    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "v1/PersistentVolumeClaim", PersistentVolumeClaim.class,
            "apps/v1/Deployment", Deployment.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "networking.k8s.io/v1/Ingress", Ingress.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);

    /**
     * Custom resources have no model here: the fields they may use, by path, from the CloudNativePG
     * Cluster and Prometheus Operator ServiceMonitor APIs (a misspelt field fails like a core one).
     */
    static final Map<String, Map<String, Set<String>>> CUSTOM = Map.of(
            "postgresql.cnpg.io/v1/Cluster",
                    Map.ofEntries(
                            Map.entry(
                                    "spec",
                                    Set.of(
                                            "instances",
                                            "imageName",
                                            "primaryUpdateStrategy",
                                            "primaryUpdateMethod",
                                            "bootstrap",
                                            "postgresql",
                                            "storage",
                                            "walStorage",
                                            "resources",
                                            "monitoring",
                                            "affinity",
                                            "backup",
                                            "minSyncReplicas",
                                            "maxSyncReplicas")),
                            Map.entry("spec.bootstrap", Set.of("initdb")),
                            Map.entry("spec.bootstrap.initdb", Set.of("database", "owner", "secret")),
                            Map.entry("spec.postgresql", Set.of("parameters")),
                            Map.entry("spec.storage", Set.of("size", "storageClass")),
                            Map.entry("spec.walStorage", Set.of("size", "storageClass")),
                            Map.entry("spec.resources", Set.of("requests", "limits")),
                            Map.entry("spec.resources.requests", Set.of("cpu", "memory")),
                            Map.entry("spec.resources.limits", Set.of("cpu", "memory")),
                            Map.entry("spec.backup", Set.of("barmanObjectStore", "retentionPolicy", "target")),
                            Map.entry(
                                    "spec.backup.barmanObjectStore",
                                    Set.of("destinationPath", "endpointURL", "s3Credentials", "wal", "data")),
                            Map.entry(
                                    "spec.backup.barmanObjectStore.s3Credentials",
                                    Set.of("accessKeyId", "secretAccessKey", "region")),
                            Map.entry("spec.backup.barmanObjectStore.s3Credentials.accessKeyId", Set.of("name", "key")),
                            Map.entry(
                                    "spec.backup.barmanObjectStore.s3Credentials.secretAccessKey",
                                    Set.of("name", "key")),
                            Map.entry(
                                    "spec.backup.barmanObjectStore.wal",
                                    Set.of("compression", "maxParallel", "encryption")),
                            Map.entry(
                                    "spec.backup.barmanObjectStore.data", Set.of("compression", "jobs", "encryption")),
                            Map.entry("spec.monitoring", Set.of("enablePodMonitor"))),
            "postgresql.cnpg.io/v1/ScheduledBackup",
                    Map.of(
                            "spec",
                                    Set.of(
                                            "schedule",
                                            "immediate",
                                            "backupOwnerReference",
                                            "method",
                                            "cluster",
                                            "suspend",
                                            "target"),
                            "spec.cluster", Set.of("name")),
            "postgresql.cnpg.io/v1/Pooler",
                    Map.of(
                            "spec", Set.of("cluster", "instances", "type", "pgbouncer", "template", "monitoring"),
                            "spec.cluster", Set.of("name"),
                            "spec.pgbouncer",
                                    Set.of("poolMode", "parameters", "authQuery", "authQuerySecret", "paused")),
            "monitoring.coreos.com/v1/ServiceMonitor",
                    Map.of(
                            "spec", Set.of("selector", "endpoints", "namespaceSelector", "jobLabel"),
                            "spec.selector", Set.of("matchLabels"),
                            "spec.endpoints[]", Set.of("port", "path", "interval", "scrapeTimeout", "scheme")));

    record Rendered(List<HasMetadata> objects) {
        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T one(Class<T> type) {
            List<T> found = all(type);
            assertEquals(1, found.size(), "one " + type.getSimpleName());
            return found.get(0);
        }

        GenericKubernetesResource custom(String kind) {
            return all(GenericKubernetesResource.class).stream()
                    .filter(r -> r.getKind().equals(kind))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + kind));
        }
    }

    /** The whole deployment: the data kustomization (applied once) and the overlay's application. */
    static Rendered render(String overlay) throws Exception {
        List<HasMetadata> all =
                new ArrayList<>(renderFolder(Path.of("k8s", "data")).objects());
        all.addAll(renderFolder(Path.of("k8s", "overlays", overlay)).objects());
        return new Rendered(all);
    }

    static Rendered renderFolder(Path folder) throws Exception {
        String custom = System.getenv("PHOCAP_KUSTOMIZE");
        List<String> command = new ArrayList<>(
                custom == null || custom.isBlank()
                        ? List.of("kubectl", "kustomize")
                        : Arrays.asList(custom.trim().split("\\s+")));
        command.add(folder.toAbsolutePath().toString());
        // Its complaints go to a file, shown when it fails (a missing kustomization says so there).
        Path errors = Files.createTempFile("kustomize", ".err");
        Process process =
                new ProcessBuilder(command).redirectError(errors.toFile()).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        String complaints = Files.readString(errors);
        Files.delete(errors);
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed: " + complaints);
        List<HasMetadata> objects = new ArrayList<>();
        try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(new String(out, StandardCharsets.UTF_8))) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc == null || doc.isEmpty()) {
                    continue;
                }
                String key =
                        doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
                if (KINDS.containsKey(key)) {
                    HasMetadata object = YAML.treeToValue(doc, KINDS.get(key));
                    assertNoUnknownFields(
                            object, key + " " + object.getMetadata().getName());
                    objects.add(object);
                } else if (CUSTOM.containsKey(key)) {
                    assertCustomFields(doc, CUSTOM.get(key), key);
                    objects.add(YAML.treeToValue(doc, GenericKubernetesResource.class));
                } else {
                    throw new AssertionError("an object of a kind the test does not know: " + key);
                }
            }
        }
        return new Rendered(objects);
    }

    /** The model keeps fields it does not know in additionalProperties: anywhere in the tree, that is a mistake. */
    static void assertNoUnknownFields(Object node, String path) throws Exception {
        if (node == null
                || node instanceof String
                || node instanceof Number
                || node instanceof Boolean
                || node instanceof Enum) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                assertNoUnknownFields(item, path + "[" + i++ + "]");
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                assertNoUnknownFields(e.getValue(), path + "." + e.getKey());
            }
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value = getter.invoke(node);
            if (getter.getName().equals("getAdditionalProperties")) {
                assertTrue(
                        value == null || ((Map<?, ?>) value).isEmpty(),
                        path + " has fields Kubernetes does not know: " + value);
            } else if (!(node instanceof IntOrString || node instanceof Quantity)) {
                assertNoUnknownFields(value, path + "." + getter.getName().substring(3));
            }
        }
    }

    static void assertCustomFields(JsonNode doc, Map<String, Set<String>> allowed, String kind) {
        allowed.forEach((path, fields) -> {
            for (JsonNode node : at(doc, path)) {
                node.fieldNames()
                        .forEachRemaining(f -> assertTrue(
                                fields.contains(f), kind + " " + path + "." + f + " is not a field of its API"));
            }
        });
    }

    private static List<JsonNode> at(JsonNode doc, String path) {
        List<JsonNode> nodes = List.of(doc);
        for (String part : path.split("\\.")) {
            boolean each = part.endsWith("[]");
            String name = each ? part.substring(0, part.length() - 2) : part;
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode n : nodes) {
                JsonNode child = n.get(name);
                if (child == null) {
                    continue;
                }
                if (each) {
                    child.forEach(next::add);
                } else {
                    next.add(child);
                }
            }
            nodes = next;
        }
        return nodes;
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "native"})
    void overlaysRenderIntoObjectsThatFitTogetherAndFitTheApp(String overlay) throws Exception {
        Rendered k8s = render(overlay);
        assertEquals(NAMESPACE, k8s.one(Namespace.class).getMetadata().getName());
        for (HasMetadata o : k8s.objects()) {
            if (!(o instanceof Namespace)) {
                assertEquals(
                        NAMESPACE,
                        o.getMetadata().getNamespace(),
                        o.getKind() + " " + o.getMetadata().getName());
            }
        }

        Deployment deployment = k8s.one(Deployment.class);
        Map<String, String> podLabels =
                deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertSubset(deployment.getSpec().getSelector().getMatchLabels(), podLabels, "Deployment selector");
        Service service = k8s.one(Service.class);
        assertSubset(service.getSpec().getSelector(), podLabels, "Service selector");
        assertSubset(
                k8s.one(PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels(), podLabels, "PDB selector");
        assertSubset(
                k8s.one(NetworkPolicy.class).getSpec().getPodSelector().getMatchLabels(), podLabels, "NetworkPolicy");
        deployment
                .getSpec()
                .getTemplate()
                .getSpec()
                .getTopologySpreadConstraints()
                .forEach(t -> assertSubset(t.getLabelSelector().getMatchLabels(), podLabels, "topology spread"));
        var target = k8s.one(HorizontalPodAutoscaler.class).getSpec().getScaleTargetRef();
        assertEquals(
                List.of("apps/v1", "Deployment", deployment.getMetadata().getName()),
                List.of(target.getApiVersion(), target.getKind(), target.getName()),
                "HPA target");

        Container app =
                deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        Set<String> portNames = new HashSet<>();
        Set<Integer> portNumbers = new HashSet<>();
        for (ContainerPort p : app.getPorts()) {
            portNames.add(p.getName());
            portNumbers.add(p.getContainerPort());
        }
        assertEquals(Set.of(8080, 9000), portNumbers, "the app listens on 8080 and its management interface on 9000");
        assertFalse(appProperties().containsKey("quarkus.http.port"));
        assertEquals("${PHOCAP_MANAGEMENT_PORT:9000}", appProperties().getProperty("quarkus.management.port"));
        assertEquals("true", appProperties().getProperty("quarkus.management.enabled"));
        for (ServicePort p : service.getSpec().getPorts()) {
            assertTrue(refersTo(p.getTargetPort(), portNames, portNumbers), "Service targetPort " + p.getTargetPort());
        }
        for (Probe probe : List.of(app.getStartupProbe(), app.getReadinessProbe(), app.getLivenessProbe())) {
            assertNotNull(probe);
            // Not the 1 s default: loaded pods stalled up to 2.9 s in rehearsals.
            assertTrue(
                    probe.getTimeoutSeconds() != null && probe.getTimeoutSeconds() >= 3,
                    probe.getHttpGet().getPath() + " timeoutSeconds " + probe.getTimeoutSeconds());
            assertTrue(refersTo(probe.getHttpGet().getPort(), portNames, portNumbers), "probe port");
            assertEquals("management", probe.getHttpGet().getPort().getStrVal(), "probes ask the management interface");
            given().get(Management.url(probe.getHttpGet().getPath())).then().statusCode(200);
        }

        GenericKubernetesResource monitor = k8s.custom("ServiceMonitor");
        assertSubset(labels(monitor, "selector"), service.getMetadata().getLabels(), "ServiceMonitor selector");
        Set<String> servicePorts = new HashSet<>();
        service.getSpec().getPorts().forEach(p -> servicePorts.add(p.getName()));
        for (Map<String, Object> endpoint : monitor.<List<Map<String, Object>>>get("spec", "endpoints")) {
            assertTrue(
                    servicePorts.contains((String) endpoint.get("port")),
                    "ServiceMonitor port " + endpoint.get("port"));
            assertEquals("management", endpoint.get("port"), "Prometheus scrapes the management interface");
            given().get(Management.url((String) endpoint.get("path"))).then().statusCode(200);
        }
        // kube-prometheus-stack selects ServiceMonitors by its release label.
        assertNotNull(monitor.getMetadata().getLabels().get("release"), "ServiceMonitor carries a release label");

        // The operations endpoints are not routed by the Ingress: it names the API port only, and
        // the API port does not serve them.
        for (var rule : k8s.one(Ingress.class).getSpec().getRules()) {
            for (var path : rule.getHttp().getPaths()) {
                var port = path.getBackend().getService().getPort();
                ServicePort routed = service.getSpec().getPorts().stream()
                        .filter(p -> p.getName().equals(port.getName())
                                || p.getPort().equals(port.getNumber()))
                        .findFirst()
                        .orElseThrow();
                assertEquals("http", routed.getTargetPort().getStrVal(), "the Ingress routes the API port only");
            }
        }
        for (String path : List.of("/q/metrics", "/q/health/live", "/q/openapi", "/q/swagger-ui/")) {
            given().get(path).then().statusCode(404);
            given().get(Management.url(path)).then().statusCode(200);
        }
        var backend = k8s.one(Ingress.class)
                .getSpec()
                .getRules()
                .get(0)
                .getHttp()
                .getPaths()
                .get(0)
                .getBackend()
                .getService();
        assertEquals(service.getMetadata().getName(), backend.getName());
        assertTrue(
                service.getSpec().getPorts().stream()
                        .anyMatch(p -> p.getPort().equals(backend.getPort().getNumber())
                                || p.getName().equals(backend.getPort().getName())),
                "Ingress backend port");
        Map<String, String> ingress = k8s.one(Ingress.class).getMetadata().getAnnotations();
        assertEquals("off", ingress.get("nginx.ingress.kubernetes.io/proxy-buffering"), "SSE must not be buffered");
        assertTrue(Integer.parseInt(ingress.get("nginx.ingress.kubernetes.io/proxy-read-timeout")) >= 3600);
        // The readiness probe outwaits the database check inside it (DatabaseReadiness gives up after 3 s).
        assertTrue(app.getReadinessProbe().getTimeoutSeconds() > 3, "readiness timeout above its database check's");
        // The ingress lets through the largest body the service takes.
        Matcher appLimit =
                Pattern.compile("(\\d+)M").matcher(appProperties().getProperty("quarkus.http.limits.max-body-size"));
        Matcher proxyLimit =
                Pattern.compile("(\\d+)m").matcher(ingress.get("nginx.ingress.kubernetes.io/proxy-body-size"));
        assertTrue(appLimit.matches() && proxyLimit.matches(), "body sizes in M/m");
        assertTrue(
                Long.parseLong(proxyLimit.group(1)) >= Long.parseLong(appLimit.group(1)),
                "ingress proxy-body-size " + proxyLimit.group() + " below the service's " + appLimit.group());
        // Startup allows for the wait on Flyway's lock when pods start together.
        assertTrue(
                app.getStartupProbe().getPeriodSeconds() * app.getStartupProbe().getFailureThreshold() >= 120,
                "startup probe allows at least 2 minutes");

        // Environment: every variable set is one the app reads.
        Set<String> reads = variablesTheAppReads();
        boolean jvm = app.getImage().contains("-jvm");
        List<String> set = new ArrayList<>();
        app.getEnv().forEach(e -> set.add(e.getName()));
        app.getEnvFrom().forEach(from -> {
            String name = from.getConfigMapRef().getName();
            ConfigMap map = k8s.all(ConfigMap.class).stream()
                    .filter(c -> c.getMetadata().getName().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("envFrom a ConfigMap that is not rendered: " + name));
            set.addAll(map.getData().keySet());
        });
        for (String name : set) {
            boolean launcher = jvm && LAUNCHER_VARIABLES.contains(name);
            assertTrue(
                    reads.contains(name) || launcher, name + " is set by the Deployment but the app does not read it");
        }

        // Database: CloudNativePG's cluster, its generated secret and its read-write service.
        GenericKubernetesResource cluster = k8s.custom("Cluster");
        String clusterName = cluster.getMetadata().getName();
        String database = cluster.get("spec", "bootstrap", "initdb", "database");
        Set<String> secretRefs = new HashSet<>();
        for (EnvVar e : app.getEnv()) {
            if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                var ref = e.getValueFrom().getSecretKeyRef();
                secretRefs.add(ref.getName());
                if (e.getName().startsWith("PHOCAP_DB_")) {
                    assertEquals(
                            clusterName + "-app", ref.getName(), "CloudNativePG names the app secret <cluster>-app");
                    assertTrue(Set.of("username", "password").contains(ref.getKey()), ref.getKey());
                }
            }
        }
        assertTrue(secretRefs.contains(clusterName + "-app"));
        String dbUrl = k8s.one(ConfigMap.class).getData().get("PHOCAP_DB_URL");
        // Behind the ingress, sign-in throttling needs the forwarded client, from trusted proxies only.
        Map<String, String> config = k8s.one(ConfigMap.class).getData();
        assertEquals("true", config.get("PHOCAP_PROXY_ADDRESS_FORWARDING"), overlay + ": proxy address forwarding on");
        assertEquals("true", config.get("PHOCAP_PROXY_ALLOW_X_FORWARDED"), overlay + ": X-Forwarded-For read");
        String trusted = config.get("PHOCAP_TRUSTED_PROXIES");
        assertTrue(
                trusted != null && trusted.matches("[0-9./,:a-fA-F ]+") && !trusted.contains("0.0.0.0/0"),
                overlay + ": trusted proxies are named, not everyone: " + trusted);
        assertEquals("postgresql://" + clusterName + "-rw:5432/" + database, dbUrl);
        var egress = k8s.one(NetworkPolicy.class).getSpec().getEgress();
        assertTrue(
                egress.stream()
                        .anyMatch(rule -> rule.getTo().stream()
                                        .anyMatch(peer -> peer.getPodSelector() != null
                                                && clusterName.equals(peer.getPodSelector()
                                                        .getMatchLabels()
                                                        .get("cnpg.io/cluster")))
                                && rule.getPorts().stream()
                                        .anyMatch(p -> p.getPort().getIntVal() == 5432)),
                "NetworkPolicy lets the app reach its database");

        // Secrets the operator does not generate are documented, never rendered.
        for (Volume v : deployment.getSpec().getTemplate().getSpec().getVolumes()) {
            if (v.getSecret() != null) {
                secretRefs.add(v.getSecret().getSecretName());
            }
            if (v.getPersistentVolumeClaim() != null) {
                String claim = v.getPersistentVolumeClaim().getClaimName();
                assertTrue(
                        k8s.all(PersistentVolumeClaim.class).stream()
                                .anyMatch(c -> c.getMetadata().getName().equals(claim)),
                        claim);
            }
        }
        String howTo = Files.readString(Path.of("k8s", "README.md"));
        for (String secret : secretRefs) {
            if (!secret.equals(clusterName + "-app")) {
                assertTrue(
                        howTo.contains("create secret generic " + secret), secret + " is documented in k8s/README.md");
            }
        }
        assertTrue(k8s.objects().stream().noneMatch(o -> o.getKind().equals("Secret")), "no Secret is committed");

        // Shutdown fits the grace period; the heap fits the memory limit.
        Properties props = appProperties();
        long drain = seconds(props.getProperty("quarkus.shutdown.delay"))
                + seconds(props.getProperty("quarkus.shutdown.timeout"));
        assertTrue(
                deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds() > drain,
                "terminationGracePeriodSeconds above shutdown delay + timeout (" + drain + " s)");
        String heapFlags = jvm
                ? app.getEnv().stream()
                        .filter(e -> e.getName().equals("JAVA_OPTS_APPEND"))
                        .findFirst()
                        .orElseThrow()
                        .getValue()
                : String.join(" ", app.getArgs());
        Matcher xmx = Pattern.compile("-Xmx(\\d+)m").matcher(heapFlags);
        assertTrue(xmx.find(), "the heap is capped");
        long limitMi = Quantity.getAmountInBytes(app.getResources().getLimits().get("memory"))
                        .longValue()
                >> 20;
        assertTrue(
                limitMi >= Long.parseLong(xmx.group(1)) * 3 / 2,
                "memory limit " + limitMi + " Mi leaves room above the heap");

        // Scaling: the HPA owns the replica count and scales on streams and requests as well as CPU.
        assertEquals(null, deployment.getSpec().getReplicas(), "no replicas field beside the autoscaler");
        HorizontalPodAutoscaler hpa = k8s.one(HorizontalPodAutoscaler.class);
        Set<String> signals = new HashSet<>();
        long streamCap = Long.parseLong(config.get("PHOCAP_STREAM_MAX_OPEN"));
        for (var metric : hpa.getSpec().getMetrics()) {
            if (metric.getResource() != null) {
                signals.add(metric.getResource().getName());
            } else if (metric.getPods() != null) {
                String name = metric.getPods().getMetric().getName();
                signals.add(name);
                assertTrue(adapterMetrics().contains(name), name + " is served by prometheus-adapter (k8s/monitoring)");
                if (name.equals("phocap_stream_open")) {
                    long scaleAt = Quantity.getAmountInBytes(
                                    metric.getPods().getTarget().getAverageValue())
                            .longValue();
                    assertTrue(
                            scaleAt <= streamCap * 8 / 10,
                            "scale out at " + scaleAt + " streams, well before the cap " + streamCap);
                }
            }
        }
        assertEquals(Set.of("cpu", "phocap_stream_open", "phocap_http_requests_per_second"), signals, "HPA signals");
        assertTrue(
                given().get(Management.url("/q/metrics")).asString().contains("phocap_stream_open"),
                "the stream gauge is exported");

        // Migrations: an init container migrates and exits; the service itself does not migrate.
        var inits = deployment.getSpec().getTemplate().getSpec().getInitContainers();
        assertEquals(1, inits.size(), "one init container");
        Container migrate = inits.get(0);
        assertEquals(app.getImage(), migrate.getImage(), "the migration runs the release's own image");
        Map<String, String> migrateEnv = new java.util.HashMap<>();
        migrate.getEnv().stream()
                .filter(e -> e.getValue() != null)
                .forEach(e -> migrateEnv.put(e.getName(), e.getValue()));
        assertEquals("true", migrateEnv.get("PHOCAP_INIT_AND_EXIT"));
        assertEquals("true", migrateEnv.get("PHOCAP_MIGRATE_AT_START"));
        assertEquals("false", config.get("PHOCAP_MIGRATE_AT_START"), "pods start without migrating");
        assertEquals("${PHOCAP_INIT_AND_EXIT:false}", appProperties().getProperty("quarkus.init-and-exit"));
        for (EnvVar e : migrate.getEnv()) {
            assertTrue(
                    reads.contains(e.getName()),
                    e.getName() + " is set on the init container but the app does not read it");
        }

        // Uploads: staged in /tmp, sized for four of the largest at once and inside ephemeral-storage.
        var tmp = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("tmp"))
                .findFirst()
                .orElseThrow()
                .getEmptyDir();
        long tmpBytes = Quantity.getAmountInBytes(tmp.getSizeLimit()).longValue();
        long largestBody = Long.parseLong(appLimit.group(1)) << 20;
        assertTrue(
                tmpBytes >= 4 * largestBody, "/tmp holds four " + appLimit.group() + " uploads: " + tmp.getSizeLimit());
        assertTrue(app.getVolumeMounts().stream()
                .anyMatch(m -> m.getName().equals("tmp") && m.getMountPath().equals("/tmp")));
        Quantity ephemeral = app.getResources().getLimits().get("ephemeral-storage");
        assertNotNull(ephemeral, "an ephemeral-storage limit");
        assertNotNull(app.getResources().getRequests().get("ephemeral-storage"), "an ephemeral-storage request");
        assertTrue(
                Quantity.getAmountInBytes(ephemeral).longValue() > tmpBytes, "ephemeral-storage above the /tmp volume");

        // Edits to the settings roll the pods: the ConfigMap is generated, with a content hash in its name.
        String configName = k8s.one(ConfigMap.class).getMetadata().getName();
        assertTrue(configName.matches("phocap-config-[a-z0-9]{10}"), "a generated ConfigMap: " + configName);

        // Data that survives: synchronous replica, backups with WAL archiving, supervised updates, a pinned image.
        assertTrue(((Number) cluster.get("spec", "instances")).intValue() >= 3, "three PostgreSQL instances");
        assertTrue(((Number) cluster.get("spec", "minSyncReplicas")).intValue() >= 1, "a synchronous replica");
        assertEquals("supervised", cluster.get("spec", "primaryUpdateStrategy"));
        assertTrue(
                ((String) cluster.get("spec", "imageName")).matches(".+:(\\d+\\.\\d+.*|.*@sha256:[0-9a-f]{64})"),
                "a pinned PostgreSQL image: " + cluster.get("spec", "imageName"));
        assertNotNull(
                cluster.get("spec", "backup", "barmanObjectStore", "destinationPath"),
                "base backups to an object store");
        assertNotNull(cluster.get("spec", "backup", "barmanObjectStore", "wal"), "WAL archiving");
        assertNotNull(cluster.get("spec", "backup", "retentionPolicy"), "a retention policy");
        assertEquals(Boolean.TRUE, cluster.get("spec", "monitoring", "enablePodMonitor"));
        GenericKubernetesResource nightly = k8s.custom("ScheduledBackup");
        assertEquals(clusterName, nightly.get("spec", "cluster", "name"));
        String backupSecret =
                cluster.get("spec", "backup", "barmanObjectStore", "s3Credentials", "accessKeyId", "name");
        assertTrue(
                howTo.contains("create secret generic " + backupSecret),
                backupSecret + " is documented in k8s/README.md");

        // The connection budget, from the rendered numbers.
        assertConnectionBudget(k8s, overlay);
    }

    /**
     * Every pod the Deployment may run at once (the HPA's maximum plus the rollout's surge), each
     * with its request pool, its stream listener and its JDBC (Flyway) connections, plus the
     * pooler's server connections when there is one, plus PostgreSQL's reserved connections and
     * the operator's own, fit under max_connections.
     */
    static void assertConnectionBudget(Rendered k8s, String what) throws Exception {
        Map<String, String> config = k8s.one(ConfigMap.class).getData();
        GenericKubernetesResource cluster = k8s.custom("Cluster");
        Map<String, Object> parameters = cluster.get("spec", "postgresql", "parameters");
        int maxConnections = Integer.parseInt((String) parameters.get("max_connections"));
        int reserved = Integer.parseInt((String) parameters.getOrDefault("superuser_reserved_connections", "3"))
                + OPERATOR_CONNECTIONS;
        Deployment deployment = k8s.one(Deployment.class);
        int surge = deployment
                .getSpec()
                .getStrategy()
                .getRollingUpdate()
                .getMaxSurge()
                .getIntVal();
        int pods = k8s.one(HorizontalPodAutoscaler.class).getSpec().getMaxReplicas() + surge;
        int pool = Integer.parseInt(config.get("PHOCAP_DB_POOL_SIZE"));
        int jdbc = Integer.parseInt(appProperties().getProperty("quarkus.datasource.jdbc.max-size"));
        String clusterName = cluster.getMetadata().getName();
        List<GenericKubernetesResource> poolers = k8s.all(GenericKubernetesResource.class).stream()
                .filter(r -> r.getKind().equals("Pooler"))
                .toList();
        int direct;
        if (poolers.isEmpty()) {
            direct = pods * (pool + 1 + jdbc);
        } else {
            // The request pool goes through PgBouncer; the listener and Flyway stay direct.
            GenericKubernetesResource pooler = poolers.get(0);
            assertEquals("transaction", pooler.get("spec", "pgbouncer", "poolMode"));
            assertEquals("postgresql://" + pooler.getMetadata().getName() + ":5432/app", config.get("PHOCAP_DB_URL"));
            assertEquals("postgresql://" + clusterName + "-rw:5432/app", config.get("PHOCAP_DB_DIRECT_URL"));
            Map<String, Object> bouncer = pooler.get("spec", "pgbouncer", "parameters");
            int serverSide = ((Number) pooler.get("spec", "instances")).intValue()
                    * Integer.parseInt((String) bouncer.get("default_pool_size"));
            assertTrue(
                    Integer.parseInt((String) bouncer.get("max_client_conn")) >= pods * pool,
                    "PgBouncer takes every pod's request pool");
            direct = pods * (1 + jdbc) + serverSide;
            var egress = k8s.one(NetworkPolicy.class).getSpec().getEgress();
            assertTrue(
                    egress.stream()
                            .anyMatch(rule -> rule.getTo().stream()
                                    .anyMatch(peer -> peer.getPodSelector() != null
                                            && pooler.getMetadata()
                                                    .getName()
                                                    .equals(peer.getPodSelector()
                                                            .getMatchLabels()
                                                            .get("cnpg.io/poolerName")))),
                    "NetworkPolicy lets the pods reach the pooler");
        }
        assertTrue(
                direct + reserved <= maxConnections,
                what + ": " + direct + " connections at most + " + reserved + " reserved exceed max_connections "
                        + maxConnections);
    }

    /** Connections CloudNativePG's instance manager, exporter and replication take (beyond superuser_reserved). */
    static final int OPERATOR_CONNECTIONS = 10;

    /** The metric names prometheus-adapter serves to the HPA (the "as" names of its rules). */
    static Set<String> adapterMetrics() throws IOException {
        JsonNode values = YAML.readTree(
                Path.of("k8s", "monitoring", "prometheus-adapter-values.yaml").toFile());
        Set<String> names = new HashSet<>();
        values.path("rules")
                .path("custom")
                .forEach(rule -> names.add(rule.path("name").path("as").asText()));
        return names;
    }

    @org.junit.jupiter.api.Test
    void deletingTheApplicationLeavesItsData() throws Exception {
        for (String overlay : List.of("jvm", "native")) {
            for (HasMetadata o :
                    renderFolder(Path.of("k8s", "overlays", overlay)).objects()) {
                assertFalse(
                        Set.of("Namespace", "Cluster", "ScheduledBackup", "PersistentVolumeClaim")
                                .contains(o.getKind()),
                        overlay + " renders " + o.getKind() + " "
                                + o.getMetadata().getName() + ": data belongs in k8s/data");
            }
        }
        Set<String> data = new HashSet<>();
        renderFolder(Path.of("k8s", "data")).objects().forEach(o -> data.add(o.getKind()));
        assertEquals(Set.of("Namespace", "Cluster", "ScheduledBackup", "PersistentVolumeClaim"), data);
    }

    @org.junit.jupiter.api.Test
    void theOptionalPgBouncerComponentKeepsTheBudgetAndTheDirectSessions() throws Exception {
        // A throwaway overlay: the JVM overlay with the component, as k8s/components/pgbouncer says to add it.
        Path overlay =
                Files.createDirectories(Path.of("target", "k8s-pgbouncer").toAbsolutePath());
        Path k8sRoot = Path.of("k8s").toAbsolutePath();
        Files.writeString(
                overlay.resolve("kustomization.yaml"),
                "resources:\n  - " + overlay.relativize(k8sRoot.resolve("overlays/jvm")) + "\ncomponents:\n  - "
                        + overlay.relativize(k8sRoot.resolve("components/pgbouncer")) + "\n");
        List<HasMetadata> all =
                new ArrayList<>(renderFolder(Path.of("k8s", "data")).objects());
        all.addAll(renderFolder(overlay).objects());
        Rendered k8s = new Rendered(all);
        assertEquals(
                1,
                k8s.all(GenericKubernetesResource.class).stream()
                        .filter(r -> r.getKind().equals("Pooler"))
                        .count());
        assertConnectionBudget(k8s, "jvm + pgbouncer");
        // The stream listener and Flyway read the direct address.
        assertEquals("${PHOCAP_DB_DIRECT_URL:${PHOCAP_DB_URL}}", appProperties().getProperty("phocap.db.direct-url"));
        assertEquals("jdbc:${phocap.db.direct-url}", appProperties().getProperty("quarkus.datasource.jdbc.url"));
    }

    /** Variables the JVM image's launcher (run-java.sh) reads, not the application. */
    static final Set<String> LAUNCHER_VARIABLES = Set.of("JAVA_OPTS_APPEND", "GC_CONTAINER_OPTIONS");

    /**
     * The JVM flags the image's launcher passes, as the UBI OpenJDK 17 runtime image documents its
     * command line: {@code java -XX:MaxRAMPercentage=80.0 <GC_CONTAINER_OPTIONS, default
     * -XX:+UseParallelGC> -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:GCTimeRatio=4
     * -XX:AdaptiveSizePolicyWeight=90 -XX:+ExitOnOutOfMemoryError <JAVA_OPTS_APPEND>}.
     */
    static List<String> launcherFlags(Map<String, String> env) {
        List<String> flags = new ArrayList<>(List.of("-XX:MaxRAMPercentage=80.0"));
        flags.addAll(List.of(env.getOrDefault("GC_CONTAINER_OPTIONS", "-XX:+UseParallelGC")
                .trim()
                .split("\\s+")));
        flags.addAll(List.of(
                "-XX:MinHeapFreeRatio=10",
                "-XX:MaxHeapFreeRatio=20",
                "-XX:GCTimeRatio=4",
                "-XX:AdaptiveSizePolicyWeight=90",
                "-XX:+ExitOnOutOfMemoryError"));
        String append = env.getOrDefault("JAVA_OPTS_APPEND", "").trim();
        if (!append.isEmpty()) {
            flags.addAll(List.of(append.split("\\s+")));
        }
        return flags;
    }

    /** Runs {@code java <flags> -version} with this JDK (the image's is also 17) and answers its exit code and output. */
    static Map.Entry<Integer, String> javaVersion(List<String> flags) throws Exception {
        List<String> command =
                new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(flags);
        command.add("-version");
        Process jdk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(jdk.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        return Map.entry(jdk.waitFor(), output);
    }

    @org.junit.jupiter.api.Test
    void theJvmOverlaysFlagsStartAJdk() throws Exception {
        Container app = render("jvm")
                .one(Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        Map<String, String> env = new java.util.HashMap<>();
        app.getEnv().stream().filter(e -> e.getValue() != null).forEach(e -> env.put(e.getName(), e.getValue()));
        List<String> flags = launcherFlags(env);
        var started = javaVersion(flags);
        assertEquals(0, started.getKey(), "java " + String.join(" ", flags) + " -version:\n" + started.getValue());
        assertTrue(
                flags.contains("-XX:+UseSerialGC") && !flags.contains("-XX:+UseParallelGC"), "one collector: " + flags);
        // Nothing in JAVA_OPTS_APPEND that the launcher sets itself (a collector, or its own flags).
        for (String flag : env.getOrDefault("JAVA_OPTS_APPEND", "").trim().split("\\s+")) {
            assertFalse(
                    flag.matches("-XX:\\+Use\\w+GC") || launcherFlags(Map.of()).contains(flag),
                    flag + " is the launcher's to set");
        }
        // What the overlay used to do, and what this test is for: two collectors stop the JDK at once.
        var twoCollectors = javaVersion(launcherFlags(Map.of("JAVA_OPTS_APPEND", "-Xmx384m -XX:+UseSerialGC")));
        assertTrue(
                twoCollectors.getKey() != 0 && twoCollectors.getValue().contains("Multiple garbage collectors"),
                twoCollectors.getValue());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> labels(GenericKubernetesResource r, String selector) {
        return (Map<String, String>) ((Map<String, Object>) r.get("spec", selector)).get("matchLabels");
    }

    private static boolean refersTo(IntOrString port, Set<String> names, Set<Integer> numbers) {
        return port.getStrVal() != null ? names.contains(port.getStrVal()) : numbers.contains(port.getIntVal());
    }

    private static void assertSubset(Map<String, String> selector, Map<String, String> labels, String what) {
        assertTrue(selector != null && !selector.isEmpty(), what + " selects something");
        selector.forEach((k, v) -> assertEquals(v, labels.get(k), what + " label " + k));
    }

    private static long seconds(String duration) {
        String d = duration.replaceAll("\\$\\{[A-Z_]+:([^}]+)}", "$1");
        return java.time.Duration.parse("PT" + d.toUpperCase()).toSeconds();
    }

    static Properties appProperties() throws IOException {
        Properties props = new Properties();
        try (var in = Files.newBufferedReader(Path.of("src", "main", "resources", "application.properties"))) {
            props.load(in);
        }
        return props;
    }

    /**
     * What the app reads from the environment: the ${VARIABLE} references in application.properties,
     * and every configuration name it uses in its environment form (MicroProfile Config maps
     * phocap.demo.enabled to PHOCAP_DEMO_ENABLED).
     */
    static Set<String> variablesTheAppReads() throws IOException {
        Set<String> names = new HashSet<>();
        String text = Files.readString(Path.of("src", "main", "resources", "application.properties"));
        Matcher ref = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)").matcher(text);
        while (ref.find()) {
            names.add(ref.group(1));
        }
        for (String key : appProperties().stringPropertyNames()) {
            names.add(environmentForm(key.replaceFirst("^%[a-z]+\\.", "")));
        }
        try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
            Pattern configName = Pattern.compile("@ConfigProperty\\(name = \"([^\"]+)\"");
            for (Path source :
                    sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = configName.matcher(Files.readString(source));
                while (m.find()) {
                    names.add(environmentForm(m.group(1)));
                }
            }
        }
        return names;
    }

    static String environmentForm(String name) {
        return name.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
    }
}
