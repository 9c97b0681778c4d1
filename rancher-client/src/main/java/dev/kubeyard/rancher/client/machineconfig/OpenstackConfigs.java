package dev.kubeyard.rancher.client.machineconfig;

import dev.kubeyard.rancher.client.model.ObjectMeta;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds OpenstackConfig node specifications with the field names of Rancher's OpenStack node driver.
 * Secrets (password, application credential secret) belong in the cloud credential, not here.
 */
public final class OpenstackConfigs {

    public static final String KIND = "OpenstackConfig";

    private final String namespace;
    private final String generateName;
    private final Map<String, Object> fields = new LinkedHashMap<>();

    private OpenstackConfigs(String namespace, String generateName) {
        this.namespace = namespace;
        this.generateName = generateName;
    }

    /** A config whose name Rancher completes from {@code nc-<cluster>-<pool>-}. */
    public static OpenstackConfigs forPool(String namespace, String cluster, String pool) {
        return new OpenstackConfigs(namespace, "nc-" + cluster + "-" + pool + "-");
    }

    public OpenstackConfigs imageName(String v) {
        return set("imageName", v);
    }

    public OpenstackConfigs imageId(String v) {
        return set("imageId", v);
    }

    public OpenstackConfigs flavorName(String v) {
        return set("flavorName", v);
    }

    public OpenstackConfigs flavorId(String v) {
        return set("flavorId", v);
    }

    public OpenstackConfigs netName(String v) {
        return set("netName", v);
    }

    public OpenstackConfigs netId(String v) {
        return set("netId", v);
    }

    public OpenstackConfigs secGroups(List<String> groups) {
        return set("secGroups", String.join(",", groups));
    }

    public OpenstackConfigs availabilityZone(String v) {
        return set("availabilityZone", v);
    }

    public OpenstackConfigs keypairName(String v) {
        return set("keypairName", v);
    }

    public OpenstackConfigs bootFromVolume(int sizeGb, String volumeType) {
        set("bootFromVolume", true);
        set("volumeSize", Integer.toString(sizeGb));
        return volumeType == null ? this : set("volumeType", volumeType);
    }

    public OpenstackConfigs sshUser(String v) {
        return set("sshUser", v);
    }

    public OpenstackConfigs endpoint(String authUrl, String region, String domainName, String tenantId) {
        set("authUrl", authUrl);
        set("region", region);
        set("domainName", domainName);
        return set("tenantId", tenantId);
    }

    /** Any other driver field, under its Rancher name. */
    public OpenstackConfigs set(String key, Object value) {
        if (value != null) {
            fields.put(key, value);
        }
        return this;
    }

    public MachineConfig build() {
        return MachineConfig.of(KIND, ObjectMeta.generated(namespace, generateName), fields);
    }
}
