package dev.kubeyard.addons.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.kubeyard.addons.catalog.AddonSource;
import dev.kubeyard.addons.catalog.AddonVersion;
import dev.kubeyard.addons.catalog.KubernetesRange;
import dev.kubeyard.addons.catalog.Values;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.semver4j.Semver;

/**
 * Renders addon versions with Helm itself, through helm-java (Helm's Go code as a native library): a chart, a manifest
 * set wrapped into one, or a chart fetched from a repository, with release name = addon name, the installation's
 * namespace, the cluster's Kubernetes version (so {@code .Capabilities.KubeVersion} and a chart's {@code kubeVersion}
 * hold) and the values merged over the defaults.
 *
 * <p>Results are cached by digest (a render costs milliseconds and leaks a few KB of native memory, STACK-NOTES): a
 * controller renders on change, not on every pass. Renders run one at a time.
 */
public final class AddonRenderer {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicBoolean SIGNALS_RESTORED = new AtomicBoolean();
    private static final int CACHE_SIZE = 512;

    private final Path workDirectory;
    private final ChartFetcher fetcher;
    private final ValuesValidator validator = new ValuesValidator();
    private final ReentrantLock helm = new ReentrantLock();
    private final Map<String, RenderedAddon> cache = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RenderedAddon> eldest) {
            return size() > CACHE_SIZE;
        }
    };
    private long renders;

    /** @param workDirectory values files and fetched charts go here */
    public AddonRenderer(Path workDirectory) {
        this.workDirectory = workDirectory;
        this.fetcher = new ChartFetcher(workDirectory.resolve("chart-cache"));
    }

    public ValuesValidator validator() {
        return validator;
    }

    /**
     * The version's objects for these values.
     *
     * @throws InvalidValuesException when the values break the version's schema (nothing is rendered)
     * @throws RenderException when Helm refuses
     */
    public RenderedAddon render(AddonVersion version, String namespace, String kubernetesVersion, ObjectNode values) {
        List<ValueProblem> problems = validator.validate(version, values);
        if (!problems.isEmpty()) {
            throw new InvalidValuesException(version, problems);
        }
        String kube = kubeVersion(kubernetesVersion);
        String digest = Values.digest(
                Values.of(Map.of("addon", version.addon(), "version", version.version(), "ns", namespace, "k", kube)),
                values);
        helm.lock();
        try {
            RenderedAddon cached = cache.get(digest);
            if (cached != null) {
                return cached;
            }
            // The effective values, not only the user's: the catalog's certified values sit over the chart's own.
            ObjectNode effective = Values.merge(version.defaults(), values);
            RenderedAddon rendered = new RenderedAddon(digest, parse(template(version, namespace, kube, effective)));
            cache.put(digest, rendered);
            return rendered;
        } finally {
            helm.unlock();
        }
    }

    /** How many times Helm ran (cache misses). */
    public long renders() {
        helm.lock();
        try {
            return renders;
        } finally {
            helm.unlock();
        }
    }

    private String template(AddonVersion version, String namespace, String kube, ObjectNode values) {
        Path chart =
                switch (version.source()) {
                    case AddonSource.Chart c -> c.directory();
                    case AddonSource.Manifests m -> m.directory();
                    case AddonSource.ChartRepository r -> fetcher.fetch(r);
                };
        Path valuesFile = null;
        try {
            Files.createDirectories(workDirectory);
            valuesFile = Files.createTempFile(workDirectory, "values-", ".yaml");
            Files.writeString(valuesFile, YAML.writeValueAsString(values));
            TemplateCommand command = new Helm(chart)
                    .template()
                    .withName(version.addon())
                    .withNamespace(namespace)
                    .withValuesFile(valuesFile);
            if (!kube.isEmpty()) {
                command = command.withKubeVersion(kube);
            }
            renders++;
            String out = command.call();
            restoreSignals();
            return out;
        } catch (IllegalStateException e) {
            restoreSignals();
            throw new RenderException(
                    version.ref() + " does not render: " + e.getMessage().strip(), e);
        } catch (IOException e) {
            throw new RenderException("cannot write the values of " + version.ref() + ": " + e.getMessage(), e);
        } finally {
            if (valuesFile != null) {
                try {
                    Files.deleteIfExists(valuesFile);
                } catch (IOException ignored) {
                    // a leftover values file in the work directory is harmless
                }
            }
        }
    }

    static List<ObjectNode> parse(String manifest) {
        List<ObjectNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(manifest)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty()) {
                    continue;
                }
                if (!(doc instanceof ObjectNode object)
                        || !object.path("kind").isTextual()
                        || !object.path("apiVersion").isTextual()
                        || !object.path("metadata").path("name").isTextual()) {
                    // Never the document itself: it may be a Secret made from the values.
                    throw new RenderException(
                            "rendered document " + (objects.size() + 1) + " has no apiVersion, kind or metadata.name");
                }
                objects.add(object);
            }
        } catch (IOException e) {
            throw new RenderException("Helm's output is not YAML: " + e.getMessage(), e);
        }
        return objects;
    }

    /** {@code v1.33.5} for Helm, from {@code v1.33.5+rke2r1}; empty when unknown. */
    static String kubeVersion(String kubernetesVersion) {
        return KubernetesRange.parse(kubernetesVersion)
                .map(Semver::getVersion)
                .map(v -> "v" + v)
                .orElse("");
    }

    /**
     * After its first call, Helm's Go runtime takes SIGTERM and SIGINT, and the JVM would no longer stop on them
     * (helm-java issue 409, STACK-NOTES). Hand them back to Java once, so that a deployment stops gracefully.
     * Reflection, because sun.misc.Signal is a JDK-internal API that javac warns about.
     */
    private static void restoreSignals() {
        if (!SIGNALS_RESTORED.compareAndSet(false, true)) {
            return;
        }
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Method handle = signal.getMethod("handle", signal, handlerType);
            Method number = signal.getMethod("getNumber");
            InvocationHandler exit = (proxy, method, args) -> {
                if (method.getName().equals("handle")) {
                    int n = (int) number.invoke(args[0]);
                    // A thread of its own: System.exit runs the shutdown hooks, which must not wait on this one.
                    Thread.ofPlatform().name("signal-exit").start(() -> System.exit(128 + n));
                    return null;
                }
                return method.invoke(proxy, args);
            };
            Object handler =
                    Proxy.newProxyInstance(AddonRenderer.class.getClassLoader(), new Class<?>[] {handlerType}, exit);
            for (String name : List.of("TERM", "INT", "HUP")) {
                handle.invoke(null, signal.getConstructor(String.class).newInstance(name), handler);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.getLogger(AddonRenderer.class.getName())
                    .log(System.Logger.Level.WARNING, "cannot restore the JVM's signal handlers after Helm: " + e);
        }
    }
}
