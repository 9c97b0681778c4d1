package dev.kubeyard.addons.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.addons.TestCatalogs;
import dev.kubeyard.addons.catalog.AddonVersion;
import dev.kubeyard.addons.catalog.Catalog;
import dev.kubeyard.addons.catalog.Values;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddonRendererTest {

    @TempDir
    static Path work;

    static Catalog catalog;
    static AddonRenderer renderer;

    @BeforeAll
    static void load() {
        catalog = TestCatalogs.load(work);
        renderer = new AddonRenderer(work.resolve("render"));
    }

    static AddonVersion version(String v) {
        return catalog.version("demo-web", v).orElseThrow();
    }

    static List<String> kinds(RenderedAddon rendered) {
        return rendered.objects().stream()
                .map(o -> o.path("kind").asText() + "/"
                        + o.path("metadata").path("name").asText())
                .toList();
    }

    @Test
    void aChartRendersWithItsDefaultsIntoTheInstallationNamespace() {
        RenderedAddon rendered = renderer.render(version("1.0.0"), "demo", "v1.33.5+rke2r1", Values.of(Map.of()));
        assertThat(kinds(rendered))
                .containsExactlyInAnyOrder(
                        "ConfigMap/web-config", "Deployment/web", "Service/web", "PodDisruptionBudget/web");
        ObjectNode deployment = rendered.objects().stream()
                .filter(o -> o.path("kind").asText().equals("Deployment"))
                .findFirst()
                .orElseThrow();
        assertThat(deployment.at("/metadata/namespace").asText()).isEqualTo("demo");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(deployment.at("/spec/template/spec/containers/0/image").asText())
                .isEqualTo("nginx:1.25.5");
    }

    @Test
    void userValuesOverrideDefaultsAndCertifiedValuesOverrideTheChart() {
        RenderedAddon rendered = renderer.render(
                version("2.0.0"), "web", "v1.34.2", Values.of(Map.of("replicas", 3, "extraConfigMaps", 5)));
        assertThat(kinds(rendered)).contains("ConfigMap/web-extra-4").doesNotContain("PodDisruptionBudget/web");
        ObjectNode deployment = rendered.objects().stream()
                .filter(o -> o.path("kind").asText().equals("Deployment"))
                .findFirst()
                .orElseThrow();
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(3);
        // addon.yaml's certified values pin the image over the chart's values.yaml
        assertThat(deployment.at("/spec/template/spec/containers/0/image").asText())
                .isEqualTo("nginx:1.27.3");
    }

    @Test
    void aManifestSetRendersLikeAChart() {
        RenderedAddon rendered = renderer.render(version("2.1.0"), "demo", "v1.35.0", Values.of(Map.of()));
        assertThat(kinds(rendered)).containsExactlyInAnyOrder("ConfigMap/web-config", "Deployment/web", "Service/web");
    }

    @Test
    void valuesThatBreakTheSchemaAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> renderer.render(
                        version("1.0.0"),
                        "demo",
                        "v1.33.5",
                        Values.of(Map.of("service", Map.of("port", 70000), "replica", 2))))
                .isInstanceOfSatisfying(InvalidValuesException.class, e -> {
                    assertThat(e.problems()).extracting(ValueProblem::path).contains("service.port", "replica");
                    assertThat(e.getMessage()).contains("service.port").contains("65535");
                });
    }

    @Test
    void theSameInputsRenderOnce() {
        long before = renderer.renders();
        ObjectNode values = Values.of(Map.of("greeting", "cached"));
        RenderedAddon first = renderer.render(version("1.0.0"), "demo", "v1.33.5", values);
        RenderedAddon second = renderer.render(version("1.0.0"), "demo", "v1.33.5+rke2r1", values.deepCopy());
        assertThat(second).isSameAs(first);
        assertThat(renderer.renders()).isEqualTo(before + 1);
        RenderedAddon other = renderer.render(version("1.0.0"), "other", "v1.33.5", values);
        assertThat(other.digest()).isNotEqualTo(first.digest());
    }
}
