package dev.kubeyard.rancher.client.machineconfig;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.kubeyard.rancher.client.model.ObjectMeta;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A node specification of one infrastructure kind ({@code rke-machine-config.cattle.io/v1}, for example
 * {@code OpenstackConfig}). Its settings are top-level keys of the object, not under a spec, and differ
 * per kind, so they are kept as a map; {@link OpenstackConfigs} names the OpenStack ones.
 */
public record MachineConfig(
        String apiVersion,
        String kind,
        ObjectMeta metadata,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> fields) {

    public static final String GROUP = "rke-machine-config.cattle.io";

    public MachineConfig {
        fields = fields == null ? new LinkedHashMap<>() : fields;
    }

    public static MachineConfig of(String kind, ObjectMeta metadata, Map<String, Object> fields) {
        return new MachineConfig(GROUP + "/v1", kind, metadata, new LinkedHashMap<>(fields));
    }

    public String name() {
        return metadata.name();
    }

    /** The Steve collection of a kind: {@code OpenstackConfig} -> {@code rke-machine-config.cattle.io.openstackconfigs}. */
    public static String collection(String kind) {
        return GROUP + "." + kind.toLowerCase(Locale.ROOT) + "s";
    }

    /** The Steve type of a kind: {@code rke-machine-config.cattle.io.openstackconfig}. */
    public static String steveType(String kind) {
        return GROUP + "." + kind.toLowerCase(Locale.ROOT);
    }

    @JsonIgnore
    public Object field(String key) {
        return fields.get(key);
    }
}
