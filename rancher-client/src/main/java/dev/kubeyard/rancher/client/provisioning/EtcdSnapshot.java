package dev.kubeyard.rancher.client.provisioning;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.kubeyard.rancher.client.model.ObjectMeta;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code rke.cattle.io/v1} ETCDSnapshot; its metadata name is what a restore names. */
public record EtcdSnapshot(
        ObjectMeta metadata,
        Spec spec,
        SnapshotFile snapshotFile,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public static final String COLLECTION = "rke.cattle.io.etcdsnapshots";

    public EtcdSnapshot {
        extra = extra == null ? new LinkedHashMap<>() : extra;
    }

    public String name() {
        return metadata.name();
    }

    /** The provisioning cluster the snapshot belongs to. */
    public record Spec(String clusterName) {}

    /** Where and when the snapshot file was written, and whether that worked ({@code successful}). */
    public record SnapshotFile(
            String name,
            String nodeName,
            String location,
            String createdAt,
            Long size,
            String status,
            String message) {}

    public boolean isSuccessful() {
        return snapshotFile != null && "successful".equals(snapshotFile.status());
    }
}
