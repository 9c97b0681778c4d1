package dev.kubeyard.serviceboard.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubeyard.rancher.sim.RancherSim;
import dev.kubeyard.rancher.sim.SimOptions;
import dev.kubeyard.rancher.sim.SimTiming;
import dev.kubeyard.serviceboard.board.ServiceKey;
import dev.kubeyard.serviceboard.board.ServiceRow;
import dev.kubeyard.serviceboard.board.ServiceStatus;
import dev.kubeyard.serviceboard.collect.ClusterCollector.Batch;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One cluster's collector against a rancher-sim cluster API (fabric8's CRUD mock over real HTTP and watches). */
class ClusterCollectorIT {

    static RancherSim sim;
    static int next;
    ClusterCollector collector;
    final AtomicInteger signals = new AtomicInteger();

    @BeforeAll
    static void start() {
        sim = RancherSim.start(SimOptions.defaults().port(0).demoClusters(6).timing(SimTiming.fast()));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @AfterEach
    void close() {
        if (collector != null) {
            collector.close();
        }
    }

    KubernetesClient cluster() {
        next++;
        return sim.kubernetesClient(String.format("demo-%03d", next));
    }

    ClusterCollector collect(KubernetesClient k) {
        collector = new ClusterCollector("c", k, k.getKubernetesSerialization(), c -> signals.incrementAndGet());
        collector.start().toCompletableFuture().join();
        return collector;
    }

    static void service(KubernetesClient k, String ns, String name, Map<String, String> selector) {
        k.resource(new ServiceBuilder()
                        .withNewMetadata()
                        .withNamespace(ns)
                        .withName(name)
                        .endMetadata()
                        .withNewSpec()
                        .withType("ClusterIP")
                        .withSelector(selector)
                        .addNewPort()
                        .withPort(80)
                        .endPort()
                        .endSpec()
                        .build())
                .create();
    }

    static Pod pod(String ns, String name, Map<String, String> labels, boolean ready) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(ns)
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("app:1")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .endCondition()
                .endStatus()
                .build();
    }

    Batch drainWhenDirty() {
        // Each test's change is one write seen by one informer: once it marked something, the batch is complete.
        await().atMost(Duration.ofSeconds(10)).until(collector::hasWork);
        return collector.drain(Instant.now());
    }

    @Test
    void theFirstDrainAfterSynchronisationIsFullAndNamesEveryServiceTheClusterHas() {
        KubernetesClient k = cluster();
        service(k, "a", "web", Map.of("app", "web"));
        service(k, "b", "db", Map.of("app", "db"));
        k.resource(pod("a", "web-1", Map.of("app", "web"), true)).create();
        collect(k);
        Batch first = collector.drain(Instant.now());
        assertThat(first.full()).isTrue();
        assertThat(first.upserts()).extracting(ServiceRow::name).containsExactlyInAnyOrder("web", "db");
        assertThat(first.present()).contains(Set.of(new ServiceKey("a", "web"), new ServiceKey("b", "db")));
        ServiceRow web = first.upserts().stream()
                .filter(r -> r.name().equals("web"))
                .findFirst()
                .orElseThrow();
        assertThat(web.status()).isEqualTo(ServiceStatus.HEALTHY);
        collector.committed(first);
        assertThat(collector.drain(Instant.now()).isEmpty()).isTrue();
    }

    @Test
    void aPodChangeRecomputesOnlyTheServicesThatSelectItAndAnInvisibleChangeWritesNothing() {
        KubernetesClient k = cluster();
        service(k, "a", "web", Map.of("app", "web"));
        service(k, "a", "api", Map.of("app", "api"));
        k.resource(pod("a", "web-1", Map.of("app", "web"), true)).create();
        collect(k);
        collector.committed(collector.drain(Instant.now()));

        k.resource(pod("a", "web-1", Map.of("app", "web"), false)).update();
        Batch changed = drainWhenDirty();
        assertThat(changed.full()).isFalse();
        assertThat(changed.upserts()).extracting(ServiceRow::name).containsExactly("web");
        assertThat(changed.upserts().getFirst().status()).isEqualTo(ServiceStatus.DOWN);
        collector.committed(changed);

        // An annotation is not on the board: the pod's facts do not change, nothing is marked.
        Pod annotated = pod("a", "web-1", Map.of("app", "web"), false);
        annotated.getMetadata().setAnnotations(Map.of("note", "x"));
        k.resource(annotated).update();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !collector.hasWork());
    }

    @Test
    void aDeletedServiceIsDrainedAsADeletionAndAFailedWriteIsDrainedAgain() {
        KubernetesClient k = cluster();
        service(k, "a", "old", Map.of("app", "old"));
        collect(k);
        collector.committed(collector.drain(Instant.now()));

        k.services().inNamespace("a").withName("old").delete();
        Batch deletion = drainWhenDirty();
        assertThat(deletion.deletes()).containsExactly(new ServiceKey("a", "old"));
        collector.failed(deletion);
        Batch again = collector.drain(Instant.now());
        assertThat(again.deletes()).containsExactly(new ServiceKey("a", "old"));
        collector.committed(again);
        assertThat(collector.drain(Instant.now()).isEmpty()).isTrue();
    }

    @Test
    void afterForgettingWhatWasWrittenAFullDrainWritesEveryRowAgain() {
        KubernetesClient k = cluster();
        service(k, "a", "web", Map.of("app", "web"));
        collect(k);
        collector.committed(collector.drain(Instant.now()));
        collector.forgetWritten();
        collector.requestFull();
        Batch full = collector.drain(Instant.now());
        assertThat(full.upserts()).extracting(ServiceRow::name).containsExactly("web");
        assertThat(signals.get()).isPositive();
    }

    @Test
    void podsThatExistBeforeTheStartAreKnownOnceSynchronisedAndTheWatchesStayOpen() {
        KubernetesClient k = cluster();
        for (int i = 0; i < 20; i++) {
            k.resource(pod("a", "p-" + i, Map.of("app", "x"), true)).create();
        }
        collect(k);
        assertThat(collector.synced()).isTrue();
        assertThat(collector.podCount()).isEqualTo(20);
        await().atMost(Duration.ofSeconds(5)).until(collector::watching);
    }
}
