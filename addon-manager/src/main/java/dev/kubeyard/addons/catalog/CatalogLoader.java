package dev.kubeyard.addons.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads addon definitions: every {@code <addon>/addon.yaml} under the catalog roots (the format is in
 * {@code addons/README.md}). A manifest set is wrapped into a chart directory under the work directory, so that Helm
 * renders every version alike. A malformed definition fails the whole load with the file and the field at fault: a
 * catalog is certified, so half of one is not loaded.
 */
public final class CatalogLoader {

    /** Where the catalog that ships with Kubeyard lives on the class path. */
    public static final String CLASSPATH_ROOT = "addons";

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Set<String> CATEGORIES =
            Set.of("monitoring", "logging", "storage", "backup", "networking", "security", "other");
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path workDirectory;

    /** @param workDirectory where manifest sets are wrapped into charts and the class-path catalog is unpacked */
    public CatalogLoader(Path workDirectory) {
        this.workDirectory = workDirectory;
    }

    /** The catalog of the class path (unpacked from the jar when it is in one) and of the extra directories. */
    public Catalog load(ClassLoader classLoader, List<Path> extraRoots) {
        List<AddonDefinition> definitions = new ArrayList<>();
        Optional<Path> shipped = unpackClasspath(classLoader);
        shipped.ifPresent(root -> definitions.addAll(loadRoot(root)));
        for (Path root : extraRoots) {
            definitions.addAll(loadRoot(root));
        }
        return new Catalog(definitions);
    }

    /** The definitions under one root directory. */
    public List<AddonDefinition> loadRoot(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("the addon catalog directory " + root + " does not exist");
        }
        List<AddonDefinition> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.sorted().toList()) {
                Path file = dir.resolve("addon.yaml");
                if (Files.isDirectory(dir) && Files.isRegularFile(file)) {
                    out.add(loadDefinition(dir, file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the addon catalog " + root, e);
        }
        return out;
    }

    private AddonDefinition loadDefinition(Path dir, Path file) {
        JsonNode doc;
        try {
            doc = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw invalid(file, "is not YAML: " + e.getMessage());
        }
        String name = text(doc, "name", file, true);
        if (!DNS_LABEL.matcher(name).matches()) {
            throw invalid(file, "name: must be a DNS label");
        }
        if (!name.equals(dir.getFileName().toString())) {
            throw invalid(file, "name: must be the directory's name (" + dir.getFileName() + ")");
        }
        String category = text(doc, "category", file, true).toLowerCase(Locale.ROOT);
        if (!CATEGORIES.contains(category)) {
            throw invalid(file, "category: must be one of " + CATEGORIES);
        }
        String namespace = text(doc, "namespace", file, true);
        if (!DNS_LABEL.matcher(namespace).matches()) {
            throw invalid(file, "namespace: must be a DNS label");
        }
        JsonNode versions = doc.path("versions");
        if (!versions.isArray() || versions.isEmpty()) {
            throw invalid(file, "versions: at least one is required");
        }
        List<AddonVersion> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < versions.size(); i++) {
            AddonVersion v = loadVersion(name, dir, file, versions.get(i), "versions[" + i + "]");
            if (!seen.add(v.version())) {
                throw invalid(file, "versions[" + i + "].version: " + v.version() + " is listed twice");
            }
            out.add(v);
        }
        return new AddonDefinition(
                name,
                Optional.ofNullable(doc.path("displayName").textValue()).orElse(name),
                category,
                Optional.ofNullable(doc.path("description").textValue()).orElse(""),
                namespace,
                out);
    }

    private AddonVersion loadVersion(String addon, Path dir, Path file, JsonNode node, String at) {
        String version = text(node, "version", file, true, at);
        if (KubernetesRange.parse(version).isEmpty()) {
            throw invalid(file, at + ".version: not a version: " + version);
        }
        int forms = (node.has("chart") ? 1 : 0) + (node.has("manifests") ? 1 : 0) + (node.has("repository") ? 1 : 0);
        if (forms != 1) {
            throw invalid(file, at + ": give exactly one of chart, manifests, repository");
        }
        AddonSource source;
        Path chartDir;
        if (node.has("chart")) {
            chartDir = inside(dir, text(node, "chart", file, true, at), file, at + ".chart");
            if (!Files.isRegularFile(chartDir.resolve("Chart.yaml"))) {
                throw invalid(file, at + ".chart: " + chartDir + " has no Chart.yaml");
            }
            source = new AddonSource.Chart(chartDir);
        } else if (node.has("manifests")) {
            Path manifests = inside(dir, text(node, "manifests", file, true, at), file, at + ".manifests");
            chartDir = wrapManifests(addon, version, manifests, file, at);
            source = new AddonSource.Manifests(chartDir);
        } else {
            JsonNode repo = node.path("repository");
            source = new AddonSource.ChartRepository(
                    text(repo, "url", file, true, at + ".repository"),
                    text(repo, "chart", file, true, at + ".repository"),
                    text(repo, "version", file, true, at + ".repository"));
            chartDir = null;
        }
        ObjectNode defaults = chartDir == null ? JsonNodeFactory.instance.objectNode() : values(chartDir, file, at);
        Optional<ObjectNode> schema = chartDir == null ? Optional.empty() : schema(chartDir, file, at);
        if (node.has("values")) {
            // Values the platform certifies over the chart's defaults (a pinned image, a safer setting).
            if (!(node.get("values") instanceof ObjectNode certified)) {
                throw invalid(file, at + ".values: must be a mapping");
            }
            defaults = Values.merge(defaults, certified);
        }
        KubernetesRange range;
        try {
            range = new KubernetesRange(
                    Optional.ofNullable(node.path("kubernetesVersions").textValue())
                            .orElse("*"));
        } catch (RuntimeException e) {
            throw invalid(file, at + ".kubernetesVersions: " + e.getMessage());
        }
        List<HealthCheck> health = new ArrayList<>();
        JsonNode checks = node.path("health");
        for (int i = 0; i < checks.size(); i++) {
            JsonNode c = checks.get(i);
            String where = at + ".health[" + i + "]";
            String kind = text(c, "kind", file, true, where);
            HealthCheck.Kind k = HealthCheck.Kind.of(kind)
                    .orElseThrow(() ->
                            invalid(file, where + ".kind: must be Deployment, DaemonSet, StatefulSet or CronJob"));
            health.add(new HealthCheck(
                    k,
                    text(c, "name", file, true, where),
                    Optional.ofNullable(c.path("namespace").textValue())));
        }
        return new AddonVersion(
                addon,
                version,
                source,
                range,
                health,
                defaults,
                schema,
                Optional.ofNullable(node.path("notes").textValue()).orElse(""));
    }

    /** Copies a manifest set into a chart: its YAML files become templates, values.yaml and the schema stay beside. */
    private Path wrapManifests(String addon, String version, Path manifests, Path file, String at) {
        Path chart = workDirectory.resolve("manifest-charts").resolve(addon + "-" + version);
        try {
            Files.createDirectories(chart.resolve("templates"));
            Files.writeString(
                    chart.resolve("Chart.yaml"),
                    "apiVersion: v2\nname: " + addon + "\nversion: " + version + "\ntype: application\n");
            try (Stream<Path> files = Files.list(manifests)) {
                for (Path f : files.sorted().toList()) {
                    String n = f.getFileName().toString();
                    if (n.equals("values.yaml") || n.equals("values.schema.json")) {
                        Files.copy(f, chart.resolve(n), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    } else if (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".tpl")) {
                        Files.copy(
                                f,
                                chart.resolve("templates").resolve(n),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            throw invalid(file, at + ".manifests: cannot read " + manifests + ": " + e.getMessage());
        }
        return chart;
    }

    private static ObjectNode values(Path chart, Path file, String at) {
        Path values = chart.resolve("values.yaml");
        if (!Files.isRegularFile(values)) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            JsonNode tree = YAML.readTree(values.toFile());
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!(tree instanceof ObjectNode object)) {
                throw invalid(file, at + ": values.yaml must be a mapping");
            }
            return object;
        } catch (IOException e) {
            throw invalid(file, at + ": values.yaml is not YAML: " + e.getMessage());
        }
    }

    private static Optional<ObjectNode> schema(Path chart, Path file, String at) {
        Path schema = chart.resolve("values.schema.json");
        if (!Files.isRegularFile(schema)) {
            return Optional.empty();
        }
        try {
            JsonNode tree = JSON.readTree(schema.toFile());
            if (!(tree instanceof ObjectNode object)) {
                throw invalid(file, at + ": values.schema.json must be an object");
            }
            return Optional.of(object);
        } catch (IOException e) {
            throw invalid(file, at + ": values.schema.json is not JSON: " + e.getMessage());
        }
    }

    private static Path inside(Path dir, String relative, Path file, String at) {
        Path resolved = dir.resolve(relative).normalize();
        if (!resolved.startsWith(dir.normalize())) {
            throw invalid(file, at + ": must stay inside the addon's directory");
        }
        if (!Files.isDirectory(resolved)) {
            throw invalid(file, at + ": " + relative + " is not a directory");
        }
        return resolved;
    }

    /** The shipped catalog as a directory: the class-path one, or a copy of it out of the jar. */
    private Optional<Path> unpackClasspath(ClassLoader classLoader) {
        URL url = classLoader.getResource(CLASSPATH_ROOT + "/README.md");
        if (url == null) {
            return Optional.empty();
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("file")) {
                return Optional.of(Path.of(uri).getParent());
            }
            if (uri.getScheme().equals("jar")) {
                Path target = workDirectory.resolve("catalog");
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    Path source = jar.getPath("/" + CLASSPATH_ROOT);
                    copyTree(source, target);
                }
                return Optional.of(target);
            }
            throw new IllegalStateException("cannot read the addon catalog from " + uri);
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot unpack the addon catalog from " + url, e);
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> all = Files.walk(source)) {
            for (Path p : all.toList()) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.createDirectories(to.getParent());
                    Files.copy(p, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static String text(JsonNode node, String field, Path file, boolean required) {
        return text(node, field, file, required, null);
    }

    private static String text(JsonNode node, String field, Path file, boolean required, String at) {
        JsonNode value = node.path(field);
        String where = at == null ? field : at + "." + field;
        if (value.isMissingNode() || value.isNull()) {
            if (required) {
                throw invalid(file, where + ": is required");
            }
            return null;
        }
        if (!value.isValueNode()) {
            throw invalid(file, where + ": must be a string");
        }
        String text = value.asText().strip();
        if (required && text.isEmpty()) {
            throw invalid(file, where + ": is required");
        }
        return text;
    }

    private static IllegalArgumentException invalid(Path file, String message) {
        return new IllegalArgumentException("addon catalog " + file + ": " + message);
    }
}
