package dev.kubeyard.serviceboard.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.serviceboard.board.ServiceStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServiceInfosTest {

    // Kubernetes' IsDNS1123Subdomain and IsValidLabelValue.
    static final Pattern SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    static final Instant AT = Instant.parse("2026-12-02T10:15:30.123456Z");

    @Test
    void aServiceWhoseNamesAreLabelsIsNamedClusterDotNamespaceDotService() {
        assertThat(ServiceInfos.objectName("prod-eu-1", "shop", "web")).isEqualTo("prod-eu-1.shop.web");
    }

    static Stream<Arguments> namesThatMustChange() {
        String longCluster = "c".repeat(300);
        return Stream.of(
                Arguments.of(Named.of("upper case cluster", "Prod"), "shop", "web"),
                Arguments.of(Named.of("underscore in the cluster", "prod_eu"), "shop", "web"),
                Arguments.of(Named.of("dot in the cluster", "prod.eu"), "shop", "web"),
                Arguments.of(Named.of("cluster of 300 characters", longCluster), "shop", "web"),
                Arguments.of(Named.of("parts of 63 and a cluster of 200", "a".repeat(200)), "n".repeat(63), "s"),
                Arguments.of(Named.of("nothing but dashes", "---"), "shop", "web"),
                Arguments.of(Named.of("a cluster cut at a dash", "a".repeat(241) + "-" + "b".repeat(20)), "x", "y"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("namesThatMustChange")
    void aNameThatIsNoSubdomainIsMadeOneWithAHashSuffix(String cluster, String namespace, String service) {
        String name = ServiceInfos.objectName(cluster, namespace, service);
        assertThat(name).hasSizeLessThanOrEqualTo(253).matches(SUBDOMAIN);
        assertThat(name).matches(".*-[0-9a-f]{10}");
        assertThat(ServiceInfos.objectName(cluster, namespace, service)).isEqualTo(name);
    }

    @Test
    void namesThatHadToChangeNeverCollideWithEachOtherOrWithAPlainOne() {
        String base = "c".repeat(300);
        List<List<String>> services = List.of(
                List.of("prod", "shop", "web"),
                List.of("Prod", "shop", "web"),
                List.of("PROD", "shop", "web"),
                List.of("prod_", "shop", "web"),
                List.of("prod.shop", "web", "x"),
                List.of("prod", "shop.web", "x"),
                List.of(base + "1", "shop", "web"),
                List.of(base + "2", "shop", "web"),
                List.of(base, "shop", "web1"),
                List.of(base, "shop", "web2"));
        Set<String> names = new HashSet<>();
        for (List<String> s : services) {
            names.add(ServiceInfos.objectName(s.get(0), s.get(1), s.get(2)));
        }
        assertThat(names).hasSize(services.size());
    }

    @Test
    void theObjectCarriesKubeyardsLabelsTheNamespaceAndItsDigest() {
        GenericKubernetesResource o = ServiceInfos.toObject(
                Rows.full("prod-eu-1", "shop", "web", ServiceStatus.DEGRADED, AT), "kubeyard-services");
        assertThat(o.getApiVersion()).isEqualTo("kubeyard.dev/v1alpha1");
        assertThat(o.getKind()).isEqualTo("ServiceInfo");
        assertThat(o.getMetadata().getName()).isEqualTo("prod-eu-1.shop.web");
        assertThat(o.getMetadata().getNamespace()).isEqualTo("kubeyard-services");
        assertThat(o.getMetadata().getLabels())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "app.kubernetes.io/managed-by", "kubeyard",
                        "kubeyard.dev/cluster", "prod-eu-1",
                        "kubeyard.dev/service-namespace", "shop",
                        "kubeyard.dev/status", "Degraded"));
        assertThat(o.getMetadata().getAnnotations())
                .containsEntry(
                        "kubeyard.dev/digest",
                        ServiceInfos.digest(Rows.full("prod-eu-1", "shop", "web", ServiceStatus.DEGRADED, AT)));
    }

    @Test
    void aClusterNameThatIsNoLabelValueIsMadeOneInTheLabelButKeptExactInTheSpec() {
        String cluster = "Team A's cluster " + "x".repeat(80);
        GenericKubernetesResource o = ServiceInfos.toObject(Rows.bare(cluster, "shop", "db", AT), "kubeyard-services");
        String label = o.getMetadata().getLabels().get("kubeyard.dev/cluster");
        assertThat(label).hasSizeLessThanOrEqualTo(63).matches(LABEL_VALUE).matches(".*-[0-9a-f]{10}");
        assertThat(spec(o)).containsEntry("cluster", cluster);
        assertThat(ServiceInfos.labelValue("prod-eu-1")).isEqualTo("prod-eu-1");
    }

    @Test
    void theSpecHasEveryFieldOfTheRowUnderTheCrdsNames() {
        Map<String, Object> spec = spec(ServiceInfos.toObject(
                Rows.full("prod-eu-1", "shop", "web", ServiceStatus.DEGRADED, AT), "kubeyard-services"));
        assertThat(spec)
                .containsEntry("cluster", "prod-eu-1")
                .containsEntry("namespace", "shop")
                .containsEntry("service", "web")
                .containsEntry("type", "LoadBalancer")
                .containsEntry("clusterIP", "10.43.0.17")
                .containsEntry("ingressHosts", List.of("shop.example.com"))
                .containsEntry("ingressAddresses", List.of("192.0.2.10"))
                .containsEntry("loadBalancerAddresses", List.of("198.51.100.7"))
                .containsEntry("images", List.of("registry.example.com/shop:1.4.2"))
                .containsEntry("readyEndpoints", 2)
                .containsEntry("notReadyEndpoints", 1)
                .containsEntry("status", "Degraded")
                .containsEntry("statusReason", "2 of 3 pods ready: ImagePullBackOff in 1.")
                .containsEntry("labels", Map.of("app", "shop", "tier", "web"))
                .containsEntry("updatedAt", "2026-12-02T10:15:30.123456Z");
        assertThat(spec.get("ports"))
                .isEqualTo(List.of(
                        Map.of("name", "http", "protocol", "TCP", "port", 80, "targetPort", "8080", "nodePort", 30080),
                        Map.of("name", "metrics", "protocol", "TCP", "port", 9090, "targetPort", "metrics")));
        assertThat(spec.get("pods"))
                .isEqualTo(Map.of(
                        "total", 3, "running", 2, "pending", 1, "succeeded", 0, "failed", 0, "unknown", 0, "ready", 2));
    }

    @Test
    void aValueTheRowDoesNotHaveIsLeftOutOfTheSpec() {
        Map<String, Object> spec =
                spec(ServiceInfos.toObject(Rows.bare("prod", "shop", "db", AT), "kubeyard-services"));
        assertThat(spec).doesNotContainKey("clusterIP").containsEntry("ports", List.of());
    }

    @Test
    void theDigestFollowsEveryChangeAndOnlyChanges() {
        String digest = ServiceInfos.digest(Rows.full("prod", "shop", "web", ServiceStatus.HEALTHY, AT));
        assertThat(ServiceInfos.digest(Rows.full("prod", "shop", "web", ServiceStatus.HEALTHY, AT)))
                .isEqualTo(digest);
        assertThat(ServiceInfos.digest(Rows.full("prod", "shop", "web", ServiceStatus.DOWN, AT)))
                .isNotEqualTo(digest);
        assertThat(ServiceInfos.digest(Rows.full("prod", "shop", "web", ServiceStatus.HEALTHY, AT.plusSeconds(1))))
                .isNotEqualTo(digest);
    }

    @SuppressWarnings("unchecked") // the mapper puts the spec as a map of the CRD's field names
    static Map<String, Object> spec(GenericKubernetesResource o) {
        return (Map<String, Object>) o.getAdditionalProperties().get("spec");
    }
}
