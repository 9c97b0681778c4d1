package dev.kubeyard.addons.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.addons.render.AddonRenderer;
import dev.kubeyard.addons.render.InvalidValuesException;
import dev.kubeyard.addons.render.RenderedAddon;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog Kubeyard ships: every version loads, renders with its defaults, and keeps its promises. */
class ShippedCatalogTest {

    @TempDir
    static Path work;

    static Catalog catalog;
    static AddonRenderer renderer;

    @BeforeAll
    static void load() {
        catalog = new CatalogLoader(work).load(ShippedCatalogTest.class.getClassLoader(), List.of());
        renderer = new AddonRenderer(work.resolve("render"));
    }

    @Test
    void theFourCertifiedAddonsShipWithTwoVersionsEach() {
        assertThat(catalog.addons())
                .extracting(AddonDefinition::name)
                .contains("etcd-backup", "fluent-bit", "local-path-provisioner", "metrics-server");
        assertThat(catalog.addons())
                .extracting(AddonDefinition::category)
                .contains("backup", "logging", "storage", "monitoring");
        assertThat(catalog.addons()).allSatisfy(a -> assertThat(a.versions()).hasSizeGreaterThanOrEqualTo(2));
    }

    @Test
    void everyVersionRendersWithItsDefaultsOnEveryKubernetesItSupportsAndHasItsHealthChecks() {
        for (AddonDefinition addon : catalog.addons()) {
            for (AddonVersion version : addon.versions()) {
                for (String kube : List.of("v1.32.9+rke2r1", "v1.33.5+rke2r1", "v1.34.2+rke2r1", "v1.35.0+rke2r1")) {
                    if (!version.supports(kube)) {
                        continue;
                    }
                    RenderedAddon rendered = renderer.render(version, addon.namespace(), kube, Values.of(Map.of()));
                    assertThat(rendered.objects()).as(version.ref()).isNotEmpty();
                    Set<String> names = rendered.objects().stream()
                            .map(o -> o.path("kind").asText() + "/"
                                    + o.path("metadata").path("name").asText())
                            .collect(Collectors.toSet());
                    for (HealthCheck check : version.health()) {
                        assertThat(names)
                                .as(version.ref() + " renders its health check's workload")
                                .contains(check.kind().kind() + "/" + check.name());
                    }
                }
            }
        }
    }

    @Test
    void everySecondVersionDropsAnObjectTheFirstHad() {
        for (AddonDefinition addon : catalog.addons()) {
            AddonVersion first = addon.versions().get(0);
            AddonVersion second = addon.versions().get(1);
            Set<String> before = keys(renderer.render(first, addon.namespace(), "v1.33.5", Values.of(Map.of())));
            Set<String> after = keys(renderer.render(second, addon.namespace(), "v1.33.5", Values.of(Map.of())));
            assertThat(before.stream().filter(k -> !after.contains(k)).toList())
                    .as(addon.name() + ": what an upgrade prunes")
                    .isNotEmpty();
        }
    }

    @Test
    void eachSchemaRefusesAnUnknownValue() {
        for (AddonDefinition addon : catalog.addons()) {
            for (AddonVersion version : addon.versions()) {
                ObjectNode typo = Values.of(Map.of("replicaz", 2));
                try {
                    renderer.render(version, addon.namespace(), "v1.33.5", typo);
                    throw new AssertionError(version.ref() + " accepted an unknown value");
                } catch (InvalidValuesException e) {
                    assertThat(e.problems()).as(version.ref()).isNotEmpty();
                }
            }
        }
    }

    static Set<String> keys(RenderedAddon rendered) {
        return rendered.objects().stream()
                .map(o -> o.path("kind").asText() + "/"
                        + o.path("metadata").path("name").asText())
                .collect(Collectors.toSet());
    }
}
