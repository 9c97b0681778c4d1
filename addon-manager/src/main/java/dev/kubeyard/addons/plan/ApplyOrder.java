package dev.kubeyard.addons.plan;

import java.util.Comparator;
import java.util.List;

/**
 * The order objects are applied in, as Helm installs them: namespaces and definitions first, then what workloads
 * need (accounts, config, RBAC), then services and workloads. Pruning goes the other way.
 */
public final class ApplyOrder {

    private static final List<String> KINDS = List.of(
            "Namespace",
            "CustomResourceDefinition",
            "PriorityClass",
            "ResourceQuota",
            "LimitRange",
            "PodSecurityPolicy",
            "ServiceAccount",
            "Secret",
            "ConfigMap",
            "StorageClass",
            "PersistentVolume",
            "PersistentVolumeClaim",
            "ClusterRole",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding",
            "Service",
            "DaemonSet",
            "Pod",
            "ReplicaSet",
            "Deployment",
            "StatefulSet",
            "Job",
            "CronJob",
            "Ingress",
            "PodDisruptionBudget");

    public static final Comparator<DesiredObject> COMPARATOR =
            Comparator.comparingInt((DesiredObject o) -> rank(o.key().kind())).thenComparing(DesiredObject::key);

    private ApplyOrder() {}

    public static int rank(String kind) {
        int i = KINDS.indexOf(kind);
        return i < 0 ? KINDS.size() : i;
    }
}
