package dev.kubeyard.rancher.client.machineconfig;

import dev.kubeyard.rancher.client.internal.RancherHttp;
import dev.kubeyard.rancher.client.internal.Resources;

/**
 * Machine configs of any kind ({@code /v1/rke-machine-config.cattle.io.<kind>s}). A config is adopted by
 * exactly one cluster: create one per pool and name it in the pool's machineConfigRef.
 */
public final class MachineConfigs {

    private final RancherHttp http;
    private final String namespace;

    public MachineConfigs(RancherHttp http) {
        this.http = http;
        this.namespace = http.config().namespace();
    }

    /** Creates the config; with a generateName, Rancher picks the name, which the result carries. */
    public MachineConfig create(MachineConfig config) {
        var body = Resources.writeBody(config, MachineConfig.steveType(config.kind()));
        body.withObject("metadata").put("namespace", namespace);
        return Resources.read(
                http.send(
                        "POST",
                        Resources.v1(http, MachineConfig.collection(config.kind()), namespace, null),
                        body,
                        RancherHttp.JSON),
                MachineConfig.class);
    }

    public MachineConfig get(String kind, String name) {
        return Resources.read(
                http.getJson(Resources.v1(http, MachineConfig.collection(kind), namespace, name)), MachineConfig.class);
    }

    /** Replaces the config (with the resourceVersion it was read at); Rancher rolls the pool's machines. */
    public MachineConfig update(MachineConfig config) {
        var body = Resources.writeBody(config, MachineConfig.steveType(config.kind()));
        return Resources.read(
                http.send(
                        "PUT",
                        Resources.v1(http, MachineConfig.collection(config.kind()), namespace, config.name()),
                        body,
                        RancherHttp.JSON),
                MachineConfig.class);
    }

    public void delete(String kind, String name) {
        http.send(
                "DELETE", Resources.v1(http, MachineConfig.collection(kind), namespace, name), null, RancherHttp.JSON);
    }
}
