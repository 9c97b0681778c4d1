package dev.kubeyard.rancher.client.provisioning;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code spec.rkeConfig}: the machine pools, the RKE2 configuration ({@code machineGlobalConfig},
 * {@code machineSelectorConfig}, {@code registries}, {@code upgradeStrategy}, kept as Rancher's JSON),
 * and the generation counters of the one-off operations.
 */
public record RkeConfig(
        List<MachinePool> machinePools,
        Map<String, Object> machineGlobalConfig,
        List<Map<String, Object>> machineSelectorConfig,
        Map<String, Object> registries,
        Map<String, Object> upgradeStrategy,
        GenerationRequest etcdSnapshotCreate,
        EtcdSnapshotRestore etcdSnapshotRestore,
        RotateCertificates rotateCertificates,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public RkeConfig {
        machinePools = machinePools == null ? List.of() : machinePools;
        extra = extra == null ? new LinkedHashMap<>() : extra;
    }

    public static RkeConfig of(List<MachinePool> pools) {
        return new RkeConfig(pools, null, null, null, null, null, null, null, null);
    }

    public RkeConfig withMachinePools(List<MachinePool> pools) {
        return new RkeConfig(
                pools,
                machineGlobalConfig,
                machineSelectorConfig,
                registries,
                upgradeStrategy,
                etcdSnapshotCreate,
                etcdSnapshotRestore,
                rotateCertificates,
                extra);
    }

    public RkeConfig withMachineSelectorConfig(List<Map<String, Object>> config) {
        return new RkeConfig(
                machinePools,
                machineGlobalConfig,
                config,
                registries,
                upgradeStrategy,
                etcdSnapshotCreate,
                etcdSnapshotRestore,
                rotateCertificates,
                extra);
    }

    public RkeConfig withEtcdSnapshotCreate(GenerationRequest request) {
        return new RkeConfig(
                machinePools,
                machineGlobalConfig,
                machineSelectorConfig,
                registries,
                upgradeStrategy,
                request,
                etcdSnapshotRestore,
                rotateCertificates,
                extra);
    }

    public RkeConfig withEtcdSnapshotRestore(EtcdSnapshotRestore restore) {
        return new RkeConfig(
                machinePools,
                machineGlobalConfig,
                machineSelectorConfig,
                registries,
                upgradeStrategy,
                etcdSnapshotCreate,
                restore,
                rotateCertificates,
                extra);
    }

    public RkeConfig withRotateCertificates(RotateCertificates rotate) {
        return new RkeConfig(
                machinePools,
                machineGlobalConfig,
                machineSelectorConfig,
                registries,
                upgradeStrategy,
                etcdSnapshotCreate,
                etcdSnapshotRestore,
                rotate,
                extra);
    }
}
