package dev.kubeyard.rancher.client.machine;

import dev.kubeyard.rancher.client.internal.RancherHttp;
import dev.kubeyard.rancher.client.internal.Resources;
import dev.kubeyard.rancher.client.internal.SteveLists;
import java.util.List;
import java.util.Map;

/** The Cluster API machines of provisioning clusters ({@code /v1/cluster.x-k8s.io.machines}). */
public final class Machines {

    private final RancherHttp http;
    private final String namespace;

    public Machines(RancherHttp http) {
        this.http = http;
        this.namespace = http.config().namespace();
    }

    /** All machines of one provisioning cluster. */
    public List<Machine> list(String clusterName) {
        return SteveLists.listAll(
                http, collection(), SteveLists.filter("spec.clusterName", clusterName), Machine.class);
    }

    /** The machines of one pool of a cluster. */
    public List<Machine> list(String clusterName, String poolName) {
        Map<String, String> filters = SteveLists.filter("spec.clusterName", clusterName);
        filters.put("metadata.labels[" + Machine.POOL_LABEL + "]", poolName);
        return SteveLists.listAll(http, collection(), filters, Machine.class);
    }

    public Machine get(String name) {
        return Resources.read(http.getJson(Resources.v1(http, Machine.COLLECTION, namespace, name)), Machine.class);
    }

    /**
     * Deletes the machine; its MachineSet creates a replacement as long as the pool's quantity stays.
     * That is how a broken node is replaced.
     */
    public void delete(String name) {
        http.send("DELETE", Resources.v1(http, Machine.COLLECTION, namespace, name), null, RancherHttp.JSON);
    }

    /**
     * Marks the machine as the one to remove at the next scale-down ({@code cluster.x-k8s.io/delete-machine}).
     * Re-read the machine before lowering the pool's quantity: the pairing is racy in Rancher.
     */
    public Machine markForScaleDown(String name) {
        Map<String, Object> patch =
                Map.of("metadata", Map.of("annotations", Map.of(Machine.DELETE_ANNOTATION, "true")));
        return Resources.read(
                http.send(
                        "PATCH",
                        Resources.v1(http, Machine.COLLECTION, namespace, name),
                        patch,
                        RancherHttp.MERGE_PATCH),
                Machine.class);
    }

    private String collection() {
        return "/v1/" + Machine.COLLECTION + "/" + namespace;
    }
}
