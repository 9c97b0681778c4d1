package dev.kubeyard.rancher.client.provisioning;

/** The roles a machine pool's nodes take in an RKE2 cluster. */
public enum NodeRole {
    ETCD,
    CONTROL_PLANE,
    WORKER
}
