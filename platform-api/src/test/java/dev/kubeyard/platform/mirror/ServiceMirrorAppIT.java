package dev.kubeyard.platform.mirror;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubeyard.mirror.collect.KubeMirrorFacts;
import dev.kubeyard.mirror.plan.MirrorLabels;
import dev.kubeyard.platform.testing.BoardObjects;
import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.RancherSimResource;
import dev.kubeyard.platform.testing.Specs;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mirror in the application, end to end: three rancher-sim clusters made through the cluster API (labelled
 * {@code mirror=on}, which the test profile's mirror runs for, and {@code board=on}), a set made through
 * {@code /api/v1/mirror-sets}, a service exported by a ServiceExport in the first cluster: its followers appear in the
 * other two, the set's API shows who imported it, the board shows the follower's role, and un-exporting removes them.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class ServiceMirrorAppIT {

    static final Duration SOON = Duration.ofSeconds(20);
    static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    static final String TEAM = "mirror-app-" + TAG;
    static final String NS = "shop-" + TAG;
    static final String SET = "app-set-" + TAG;
    static final ResourceDefinitionContext EXPORTS = KubeMirrorFacts.SERVICE_EXPORTS;

    static List<String> clusters;

    @BeforeEach
    void threeClustersInASet() {
        if (clusters != null) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (String prefix : List.of("mx-a-", "mx-b-", "mx-c-")) {
            String name = prefix + TAG;
            Map<String, Object> spec = Specs.small(TEAM, 1);
            spec.put("labels", Map.of("env", "test", "board", "on", "mirror", "on"));
            Specs.put(name, spec, 202);
            names.add(name);
        }
        for (String name : names) {
            Specs.awaitPhase(name, "Ready", Duration.ofSeconds(90));
        }
        given().contentType(ContentType.JSON)
                .body(Map.of("name", SET, "team", TEAM, "clusters", names, "createNamespaces", true))
                .post("/api/v1/mirror-sets")
                .then()
                .statusCode(201);
        clusters = names;
    }

    static KubernetesClient kube(String cluster) {
        return RancherSimResource.sim().kubernetesClient(cluster);
    }

    static void export(String cluster, String name, String address) {
        KubernetesClient k = kube(cluster);
        k.resource(BoardObjects.service(NS, name, name)).create();
        k.resource(new EndpointSliceBuilder()
                        .withNewMetadata()
                        .withNamespace(NS)
                        .withName(name + "-k2x9q")
                        .addToLabels(MirrorLabels.SERVICE_NAME, name)
                        .endMetadata()
                        .withAddressType("IPv4")
                        .addNewEndpoint()
                        .withAddresses(address)
                        .withNewConditions()
                        .withReady(true)
                        .endConditions()
                        .endEndpoint()
                        .addNewPort()
                        .withName("http")
                        .withPort(8080)
                        .endPort()
                        .build())
                .create();
        k.genericKubernetesResources(EXPORTS)
                .inNamespace(NS)
                .resource(new GenericKubernetesResourceBuilder()
                        .withApiVersion("multicluster.x-k8s.io/v1alpha1")
                        .withKind("ServiceExport")
                        .withNewMetadata()
                        .withNamespace(NS)
                        .withName(name)
                        .endMetadata()
                        .build())
                .create();
    }

    static Optional<Service> follower(String cluster, String name) {
        return Optional.ofNullable(
                        kube(cluster).services().inNamespace(NS).withName(name).get())
                .filter(s -> s.getMetadata().getLabels() != null
                        && "true".equals(s.getMetadata().getLabels().get(MirrorLabels.FOLLOWER)));
    }

    static List<String> followerAddresses(String cluster, String name) {
        return kube(cluster)
                .discovery()
                .v1()
                .endpointSlices()
                .inNamespace(NS)
                .withLabel(MirrorLabels.SERVICE_NAME, name)
                .withLabel(MirrorLabels.MANAGED_BY, MirrorLabels.MANAGER)
                .list()
                .getItems()
                .stream()
                .flatMap(s -> s.getEndpoints().stream())
                .flatMap(e -> e.getAddresses().stream())
                .sorted()
                .toList();
    }

    static JsonPath set() {
        return given().get("/api/v1/mirror-sets/" + SET)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void anExportMadeInOneClusterIsFollowedInTheOthersAndShownInTheSetsApiAndOnTheBoard() {
        String a = clusters.get(0);
        String b = clusters.get(1);
        String c = clusters.get(2);
        export(a, "checkout", "10.42.1.7");

        await().atMost(SOON).untilAsserted(() -> {
            assertThat(followerAddresses(b, "checkout")).containsExactly("10.42.1.7");
            assertThat(followerAddresses(c, "checkout")).containsExactly("10.42.1.7");
        });
        assertThat(kube(b).namespaces().withName(NS).get())
                .as("the set creates namespaces")
                .isNotNull();

        await().atMost(SOON).untilAsserted(() -> {
            JsonPath s = set();
            assertThat(s.getList("exports.findAll { it.name == 'checkout' }.cluster", String.class))
                    .containsExactly(a);
            assertThat(s.getList("exports.find { it.name == 'checkout' }.importedBy", String.class))
                    .containsExactlyInAnyOrder(b, c);
            assertThat(s.getString("exports.find { it.name == 'checkout' }.via"))
                    .isEqualTo("ServiceExport");
            assertThat(s.getList("members.lastSeen", String.class)).doesNotContainNull();
        });
        await().atMost(SOON).untilAsserted(() -> {
            JsonPath d = given().get("/api/v1/services/" + b + "/" + NS + "/checkout")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(d.getString("mirror.follower.set")).isEqualTo(SET);
            assertThat(d.getString("mirror.follower.origin")).isEqualTo(a);
        });
    }

    @Test
    void aTakenNameIsReportedInTheSetsApiAndUnexportingRemovesTheFollowers() {
        String a = clusters.get(0);
        String b = clusters.get(1);
        String c = clusters.get(2);
        kube(c).resource(BoardObjects.service(NS, "ledger", "theirs")).create();
        export(a, "ledger", "10.42.2.9");

        await().atMost(SOON).untilAsserted(() -> {
            JsonPath s = set();
            assertThat(s.getString("exports.find { it.name == 'ledger' }.refusals[0].cluster"))
                    .isEqualTo(c);
            assertThat(s.getString("exports.find { it.name == 'ledger' }.refusals[0].reason"))
                    .isEqualTo("ServiceConflict");
            assertThat(s.getString("exports.find { it.name == 'ledger' }.conditions.find { it.type == 'Conflict' }"
                            + ".status"))
                    .isEqualTo("True");
        });
        assertThat(follower(b, "ledger")).isPresent();
        assertThat(follower(c, "ledger"))
                .as("their Service is not written over")
                .isEmpty();

        kube(a).genericKubernetesResources(EXPORTS)
                .inNamespace(NS)
                .withName("ledger")
                .delete();

        await().atMost(SOON).untilAsserted(() -> {
            assertThat(follower(b, "ledger")).isEmpty();
            assertThat(set().getList("exports.name", String.class)).doesNotContain("ledger");
        });
        assertThat(kube(c).services().inNamespace(NS).withName("ledger").get()).isNotNull();
    }
}
