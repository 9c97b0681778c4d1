package dev.kubeyard.mirror.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubeyard.mirror.plan.MirrorLabels;
import dev.kubeyard.rancher.sim.RancherSim;
import dev.kubeyard.rancher.sim.SimOptions;
import dev.kubeyard.rancher.sim.SimTiming;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One cluster's mirror collector against a rancher-sim cluster API (fabric8's CRUD mock over HTTP and watches). */
class MirrorCollectorIT {

    static RancherSim sim;

    @BeforeAll
    static void start() {
        sim = RancherSim.start(SimOptions.defaults().port(0).demoClusters(2).timing(SimTiming.fast()));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static void namespace(KubernetesClient k, String name) {
        k.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build())
                .create();
    }

    static void labelExported(KubernetesClient k, String name) {
        k.resource(new ServiceBuilder()
                        .withNewMetadata()
                        .withNamespace("shop")
                        .withName(name)
                        .addToLabels(MirrorLabels.EXPORT, "true")
                        .endMetadata()
                        .withNewSpec()
                        .addNewPort()
                        .withPort(80)
                        .endPort()
                        .endSpec()
                        .build())
                .create();
    }

    @Test
    void whatExistedBeforeTheStartIsInTheViewOnceSyncedAndARelistKeepsIt() {
        KubernetesClient k = sim.kubernetesClient("demo-001");
        namespace(k, "shop");
        labelExported(k, "web");
        try (MirrorCollector collector = new MirrorCollector("demo-001", k, c -> {})) {
            collector.start();
            await().atMost(Duration.ofSeconds(10)).until(collector::synced);

            MirrorCollector.View view = collector.view(key -> Optional.empty(), Instant.now());
            assertThat(view.namespaces()).containsExactly("shop");
            assertThat(view.exports()).singleElement().satisfies(e -> {
                assertThat(e.export().name()).isEqualTo("web");
                assertThat(e.via()).isEqualTo("Label");
            });

            assertThat(collector.relist()).as("nothing changed").isFalse();
            assertThat(collector.view(key -> Optional.empty(), Instant.now()).namespaces())
                    .containsExactly("shop");
        }
    }
}
