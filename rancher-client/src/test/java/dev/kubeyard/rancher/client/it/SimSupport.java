package dev.kubeyard.rancher.client.it;

import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherClientConfig;
import dev.kubeyard.rancher.client.RancherToken;
import dev.kubeyard.rancher.client.machineconfig.MachineConfig;
import dev.kubeyard.rancher.client.machineconfig.OpenstackConfigs;
import dev.kubeyard.rancher.client.model.ObjectMeta;
import dev.kubeyard.rancher.client.provisioning.ClusterSpec;
import dev.kubeyard.rancher.client.provisioning.MachineConfigRef;
import dev.kubeyard.rancher.client.provisioning.MachinePool;
import dev.kubeyard.rancher.client.provisioning.NodeRole;
import dev.kubeyard.rancher.client.provisioning.ProvisioningCluster;
import dev.kubeyard.rancher.client.provisioning.RkeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** What the client ITs share: a client for a simulator, a standard cluster, and the simulator's admin API. */
final class SimSupport {

    static final String TOKEN = "token-kubeyard:s3cr3tv4lu3f0rt3sts";
    private static final OkHttpClient ADMIN = new OkHttpClient();

    private SimSupport() {}

    static RancherClient client(String url) {
        return client(url, TOKEN, 3);
    }

    static RancherClient client(String url, String token, int readRetries) {
        return RancherClient.create(RancherClientConfig.builder(url, RancherToken.of(token))
                .readRetries(readRetries)
                .retryDelay(Duration.ofMillis(10), Duration.ofMillis(50))
                .callTimeout(Duration.ofSeconds(10))
                .pageSize(2)
                .build());
    }

    /** A cluster with one OpenstackConfig per pool, as Kubeyard creates them. */
    static ProvisioningCluster createCluster(
            RancherClient rancher, String name, int etcd, int cp, int workers, Map<String, String> labels) {
        String ns = rancher.config().namespace();
        List<MachinePool> pools = List.of(
                pool(rancher, name, "etcd", etcd, Set.of(NodeRole.ETCD)),
                pool(rancher, name, "cp", cp, Set.of(NodeRole.CONTROL_PLANE)),
                pool(rancher, name, "workers", workers, Set.of(NodeRole.WORKER)));
        return rancher.clusters()
                .create(ProvisioningCluster.of(
                        ObjectMeta.named(ns, name).withLabels(labels),
                        new ClusterSpec("v1.32.8+rke2r1", null, RkeConfig.of(pools), null)));
    }

    private static MachinePool pool(
            RancherClient rancher, String cluster, String pool, int quantity, Set<NodeRole> roles) {
        MachineConfig config = rancher.machineConfigs()
                .create(OpenstackConfigs.forPool(rancher.config().namespace(), cluster, pool)
                        .imageName("ubuntu-24.04-rke2")
                        .flavorName("m1.large")
                        .netName("tenant-net")
                        .build());
        return MachinePool.of(pool, quantity, roles, MachineConfigRef.of(config.kind(), config.name()));
    }

    /** POSTs to the simulator's fault-injection API ({@code /_sim/...}); see rancher-sim/README.md. */
    static void admin(String simUrl, String path, String json) {
        Request r = new Request.Builder()
                .url(simUrl + path)
                .post(RequestBody.create(json, MediaType.get("application/json")))
                .build();
        try (Response response = ADMIN.newCall(r).execute()) {
            if (!response.isSuccessful()) {
                throw new IllegalStateException("sim admin " + path + " answered " + response.code() + ": "
                        + response.body().string());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
