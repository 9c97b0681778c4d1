package dev.kubeyard.platform.sandbox;

import dev.kubeyard.inventory.cluster.ManagedClusterRepository;
import dev.kubeyard.platform.cluster.ClusterService;
import dev.kubeyard.platform.cluster.ClusterSpec;
import dev.kubeyard.platform.cluster.ClusterSpec.NodePoolSpec;
import dev.kubeyard.platform.cluster.ClusterSpec.NodeSpec;
import dev.kubeyard.platform.config.PlatformConfig;
import dev.kubeyard.platform.rancher.RancherConnection;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * In sandbox mode, puts a few demo clusters into an empty inventory through the same path as a user's PUT, so that a
 * newcomer sees clusters being provisioned right away. Never runs against a real Rancher.
 */
@ApplicationScoped
public class SandboxDemoClusters {

    private static final Logger LOG = Logger.getLogger(SandboxDemoClusters.class);

    static final String TEAM = "demo";

    /** Every demo cluster runs these catalog addons (each at the newest version its Kubernetes supports). */
    static final List<ClusterSpec.AddonSpec> DEMO_ADDONS = List.of(
            new ClusterSpec.AddonSpec("metrics-server", null, null, null),
            new ClusterSpec.AddonSpec("local-path-provisioner", null, null, null),
            new ClusterSpec.AddonSpec("etcd-backup", null, null, null));

    @Inject
    RancherConnection rancher;

    @Inject
    ManagedClusterRepository clusters;

    @Inject
    ClusterService service;

    @Inject
    PlatformConfig config;

    @Inject
    SandboxDemoMirror mirror;

    void seed(@Observes StartupEvent event) {
        if (!rancher.sandbox() || config.sandbox().demoClusters() == 0) {
            return;
        }
        if (QuarkusTransaction.requiringNew().call(clusters::count) > 0) {
            return;
        }
        List<String> versions = config.clusters().supportedVersions();
        var caller = ClusterService.Caller.system("sandbox-" + UUID.randomUUID());
        List<ClusterSpec> specs = demoSpecs(versions, config.sandbox().demoClusters());
        List<String> names = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            service.apply("demo-" + (i + 1), specs.get(i), caller);
            names.add("demo-" + (i + 1));
        }
        if (names.size() > 1) {
            mirror.seed(names);
        }
        LOG.infof("Sandbox: created %d demo clusters; watch them at http://localhost:8080", specs.size());
    }

    /** Small clusters of varied shapes; the first runs the oldest supported version, so that an upgrade can be tried. */
    static List<ClusterSpec> demoSpecs(List<String> versions, int count) {
        NodeSpec node = new NodeSpec("ubuntu-24.04", "m1.large", "private", Map.of());
        List<ClusterSpec> specs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String version = i == 0 ? versions.getFirst() : versions.getLast();
            List<NodePoolSpec> pools =
                    switch (i % 3) {
                        case 0 ->
                            List.of(new NodePoolSpec(
                                    "all-in-one",
                                    List.of(
                                            ClusterSpec.ROLE_ETCD,
                                            ClusterSpec.ROLE_CONTROL_PLANE,
                                            ClusterSpec.ROLE_WORKER),
                                    1,
                                    node,
                                    Map.of(),
                                    List.of()));
                        case 1 ->
                            List.of(
                                    new NodePoolSpec(
                                            "control-plane",
                                            List.of(ClusterSpec.ROLE_ETCD, ClusterSpec.ROLE_CONTROL_PLANE),
                                            1,
                                            node,
                                            Map.of(),
                                            List.of()),
                                    new NodePoolSpec(
                                            "workers", List.of(ClusterSpec.ROLE_WORKER), 2, node, Map.of(), List.of()));
                        default ->
                            List.of(
                                    new NodePoolSpec(
                                            "control-plane",
                                            List.of(ClusterSpec.ROLE_ETCD, ClusterSpec.ROLE_CONTROL_PLANE),
                                            3,
                                            node,
                                            Map.of(),
                                            List.of()),
                                    new NodePoolSpec(
                                            "workers", List.of(ClusterSpec.ROLE_WORKER), 3, node, Map.of(), List.of()));
                    };
            specs.add(new ClusterSpec(TEAM, version, Map.of("env", "demo"), null, pools, Map.of(), DEMO_ADDONS));
        }
        return specs;
    }
}
