package dev.kubeyard.rancher.client.provisioning;

/** Points a machine pool at its node spec, for example {@code {kind: OpenstackConfig, name: nc-x-pool-abcde}}. */
public record MachineConfigRef(String kind, String name, String apiVersion) {

    public static MachineConfigRef of(String kind, String name) {
        return new MachineConfigRef(kind, name, null);
    }
}
