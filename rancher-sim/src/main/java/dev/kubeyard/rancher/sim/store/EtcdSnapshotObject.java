package dev.kubeyard.rancher.sim.store;

import java.time.Instant;

/** An {@code rke.cattle.io} ETCDSnapshot: one file taken on one etcd node. */
public record EtcdSnapshotObject(
        Meta meta,
        String clusterName,
        String nodeName,
        String fileName,
        String location,
        Instant createdAt,
        long size,
        String kubernetesVersion) {}
