package dev.kubeyard.rancher.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.rancher.sim.SimHttp.Resp;
import dev.kubeyard.rancher.sim.junit.RancherSimExtension;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /_sim/clusters/<name>/objects}: many objects into a cluster's in-memory API in one call, as POSTs. */
class CreateObjectsIT {

    @RegisterExtension
    static RancherSimExtension sim = RancherSimExtension.withOptions(
            SimOptions.defaults().demoClusters(2).demoPools(1, 1, 1).timing(SimTiming.fast()));

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static SimHttp admin;
    private static KubernetesClient client;

    @BeforeAll
    static void connect() {
        admin = new SimHttp(sim.url(), null);
        client = SimHttp.proxyClient(sim.url(), sim.sim().managementId("demo-001"));
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Test
    void createsEveryObjectOfAListAsAPostWouldKeepingAPodsStatus() {
        Set<String> added = ConcurrentHashMap.newKeySet();
        SharedIndexInformer<Pod> informer = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                added.add(pod.getMetadata().getName());
            }

            @Override
            public void onUpdate(Pod before, Pod after) {}

            @Override
            public void onDelete(Pod pod, boolean unknownFinalState) {}
        });
        try {
            ObjectNode list = SimHttp.object().put("apiVersion", "v1").put("kind", "List");
            ArrayNode items = list.putArray("items");
            items.add(service("shop", "web"));
            items.add(pod("shop", "web-1"));
            items.add(pod("shop", "web-2"));
            ObjectNode slice = items.addObject()
                    .put("apiVersion", "discovery.k8s.io/v1")
                    .put("kind", "EndpointSlice")
                    .put("addressType", "IPv4");
            slice.putObject("metadata")
                    .put("namespace", "shop")
                    .put("name", "web-abcde")
                    .putObject("labels")
                    .put("kubernetes.io/service-name", "web");
            ObjectNode ingress =
                    items.addObject().put("apiVersion", "networking.k8s.io/v1").put("kind", "Ingress");
            ingress.putObject("metadata").put("namespace", "shop").put("name", "web");
            ingress.putObject("spec").putArray("rules").addObject().put("host", "web.example.com");

            Resp r = admin.post("/_sim/clusters/demo-001/objects", list);

            assertThat(r.code()).as(r.body()).isEqualTo(201);
            assertThat(r.json().path("created").asInt()).isEqualTo(5);
            Service s = client.services().inNamespace("shop").withName("web").get();
            assertThat(s.getMetadata().getUid()).isNotBlank();
            assertThat(s.getMetadata().getResourceVersion()).isNotBlank();
            assertThat(s.getSpec().getSelector()).containsEntry("app", "web");
            Pod p = client.pods().inNamespace("shop").withName("web-1").get();
            assertThat(p.getStatus().getPhase()).isEqualTo("Running");
            assertThat(p.getStatus().getConditions())
                    .anySatisfy(c -> assertThat(c.getType()).isEqualTo("Ready"));
            assertThat(client.discovery()
                            .v1()
                            .endpointSlices()
                            .inNamespace("shop")
                            .withName("web-abcde")
                            .get())
                    .isNotNull();
            assertThat(client.network()
                            .v1()
                            .ingresses()
                            .inNamespace("shop")
                            .withName("web")
                            .get()
                            .getSpec()
                            .getRules())
                    .singleElement()
                    .satisfies(rule -> assertThat(rule.getHost()).isEqualTo("web.example.com"));
            await().atMost(WAIT).until(() -> added.containsAll(Set.of("web-1", "web-2")));
        } finally {
            informer.close();
        }
    }

    @Test
    void stopsAtTheFirstObjectTheApiRefusesAndSaysHowManyWereCreated() {
        ObjectNode first = SimHttp.object().put("apiVersion", "v1").put("kind", "List");
        first.putArray("items").add(pod("dup", "one"));
        assertThat(admin.post("/_sim/clusters/demo-002/objects", first).code()).isEqualTo(201);

        ArrayNode again = SimHttp.MAPPER.createArrayNode();
        again.add(pod("dup", "two"));
        again.add(pod("dup", "one"));
        again.add(pod("dup", "three"));
        Resp r = admin.post("/_sim/clusters/demo-002/objects", again);

        assertThat(r.code()).isEqualTo(400);
        assertThat(r.json().path("message").asText()).contains("409", "1 created before it");
        KubernetesClient other = SimHttp.proxyClient(sim.url(), sim.sim().managementId("demo-002"));
        try {
            assertThat(other.pods().inNamespace("dup").list().getItems())
                    .extracting(p -> p.getMetadata().getName())
                    .containsExactlyInAnyOrder("one", "two");
        } finally {
            other.close();
        }
    }

    @Test
    void refusesAnObjectWithoutKindAndAnUnknownCluster() {
        ArrayNode items = SimHttp.MAPPER.createArrayNode();
        items.addObject().put("apiVersion", "v1").putObject("metadata").put("name", "x");

        assertThat(admin.post("/_sim/clusters/demo-001/objects", items).code()).isEqualTo(400);
        assertThat(admin.post("/_sim/clusters/nope/objects", SimHttp.MAPPER.createArrayNode())
                        .code())
                .isEqualTo(404);
    }

    private static ObjectNode service(String namespace, String name) {
        ObjectNode s = SimHttp.object().put("apiVersion", "v1").put("kind", "Service");
        s.putObject("metadata").put("namespace", namespace).put("name", name);
        ObjectNode spec = s.putObject("spec").put("type", "ClusterIP");
        spec.putObject("selector").put("app", name);
        spec.putArray("ports").addObject().put("port", 80).put("protocol", "TCP");
        return s;
    }

    private static ObjectNode pod(String namespace, String name) {
        ObjectNode p = SimHttp.object().put("apiVersion", "v1").put("kind", "Pod");
        p.putObject("metadata")
                .put("namespace", namespace)
                .put("name", name)
                .putObject("labels")
                .put("app", "web");
        p.putObject("spec")
                .putArray("containers")
                .addObject()
                .put("name", "web")
                .put("image", "web:1.0");
        ObjectNode status = p.putObject("status").put("phase", "Running");
        status.putArray("conditions").addObject().put("type", "Ready").put("status", "True");
        return p;
    }
}
