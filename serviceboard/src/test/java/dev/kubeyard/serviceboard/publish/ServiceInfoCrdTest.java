package dev.kubeyard.serviceboard.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.kubeyard.serviceboard.board.ServiceStatus;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CRD in deploy/crds against what the mapper writes. */
class ServiceInfoCrdTest {

    /** The CRD file, from the module directory (where the build runs the tests). */
    static final Path CRD = Path.of("..", "deploy", "crds", "serviceinfos.kubeyard.dev.yaml");

    static final ObjectMapper JSON = new ObjectMapper();
    static CustomResourceDefinition crd;
    static JsonNode schema;

    @BeforeAll
    static void parse() throws IOException {
        try (InputStream in = Files.newInputStream(CRD)) {
            crd = new KubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
        }
        schema = JSON.valueToTree(version().getSchema().getOpenAPIV3Schema());
    }

    static CustomResourceDefinitionVersion version() {
        return crd.getSpec().getVersions().getFirst();
    }

    static JsonNode objectJson(String cluster, ServiceStatus status) {
        return JSON.valueToTree(ServiceInfos.toObject(
                Rows.full(cluster, "shop", "web", status, Instant.parse("2026-12-02T10:15:30Z")), "kubeyard-services"));
    }

    @Test
    void theCrdIsServiceInfoOfKubeyardDevV1alpha1AndMatchesTheMappersNames() {
        assertThat(crd.getMetadata().getName()).isEqualTo(ServiceInfos.PLURAL + "." + ServiceInfos.GROUP);
        assertThat(crd.getSpec().getGroup()).isEqualTo(ServiceInfos.GROUP);
        assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(crd.getSpec().getNames().getKind()).isEqualTo(ServiceInfos.KIND);
        assertThat(crd.getSpec().getNames().getPlural()).isEqualTo(ServiceInfos.PLURAL);
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("svcinfo");
        assertThat(crd.getSpec().getVersions()).hasSize(1);
        assertThat(version().getName()).isEqualTo(ServiceInfos.VERSION);
        assertThat(version().getServed()).isTrue();
        assertThat(version().getStorage()).isTrue();
    }

    @Test
    void theListShowsClusterNamespaceServiceStatusImagesAndUpdatedFromTheSpec() {
        List<CustomResourceColumnDefinition> shown = version().getAdditionalPrinterColumns().stream()
                .filter(c -> c.getPriority() == null || c.getPriority() == 0)
                .toList();
        assertThat(shown)
                .extracting(CustomResourceColumnDefinition::getName)
                .containsExactly("Cluster", "Service Namespace", "Service", "Status", "Images", "Updated");
        JsonNode spec = objectJson("prod", ServiceStatus.HEALTHY).get("spec");
        for (CustomResourceColumnDefinition c : version().getAdditionalPrinterColumns()) {
            assertThat(c.getJsonPath()).startsWith(".spec.");
            JsonNode value = spec;
            for (String step : c.getJsonPath().substring(".spec.".length()).split("\\.")) {
                value = value.path(step);
            }
            assertThat(value.isMissingNode())
                    .as(c.getName() + " " + c.getJsonPath())
                    .isFalse();
        }
    }

    @Test
    void theSchemaNamesEveryFieldTheMapperWrites() {
        List<String> unknown = new ArrayList<>();
        walk(
                objectJson("prod", ServiceStatus.DEGRADED).get("spec"),
                schema.get("properties").get("spec"),
                "spec",
                unknown);
        assertThat(unknown).as("fields a structural schema would prune").isEmpty();
    }

    /** Collects the paths of {@code value} that {@code schema} does not name (and would prune). */
    static void walk(JsonNode value, JsonNode schema, String path, List<String> unknown) {
        if (value.isObject()) {
            JsonNode properties = schema.path("properties");
            JsonNode additional = schema.path("additionalProperties");
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                JsonNode sub = properties.path(field.getKey());
                if (sub.isMissingNode()) {
                    sub = additional;
                }
                if (sub.isMissingNode() || !sub.isObject()) {
                    unknown.add(path + "." + field.getKey());
                } else {
                    walk(field.getValue(), sub, path + "." + field.getKey(), unknown);
                }
            }
        } else if (value.isArray()) {
            for (JsonNode item : value) {
                walk(item, schema.path("items"), path + "[]", unknown);
            }
        }
    }

    @Test
    void anObjectOfTheMapperValidatesAgainstTheSchema() {
        assertThat(validate(objectJson("prod", ServiceStatus.DEGRADED))).isEmpty();
        assertThat(validate(JSON.valueToTree(ServiceInfos.toObject(
                        Rows.bare("Team A's cluster", "shop", "db", Instant.EPOCH), "kubeyard-services"))))
                .isEmpty();
    }

    @Test
    void theSchemaRejectsAStatusOutsideItsEnumSoTheValidationAboveMeansSomething() {
        ObjectNode o = (ObjectNode) objectJson("prod", ServiceStatus.DOWN);
        ((ObjectNode) o.get("spec")).put("status", "Sick");
        assertThat(validate(o)).anySatisfy(e -> assertThat(e).contains("status"));
    }

    /**
     * The object against the CRD's schema read as JSON Schema (draft 7 has every keyword this schema uses; the
     * {@code x-kubernetes-*} ones are not used here).
     */
    static List<String> validate(JsonNode object) {
        Schema s =
                SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(schema);
        return s.validate(object).stream().map(Error::toString).toList();
    }
}
