package dev.kubeyard.rancher.sim.faults;

import java.util.Collection;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which workloads (Deployments, StatefulSets, DaemonSets) of a downstream cluster never become ready, and what their
 * status says about it. A workload matches when every matcher that is set matches: its namespace, its name, and a
 * substring of any container image (init containers included) of its pod template. No matcher set: every workload of
 * the cluster.
 *
 * <pre>{@code
 * sim.faults().failWorkloads("demo-001", WorkloadFault.image("metrics-server:v0.8"));
 * sim.faults().failWorkloads("demo-001", WorkloadFault.named("kube-system", "coredns").because("CrashLoopBackOff", null));
 * }</pre>
 *
 * @param namespace the workload's namespace, or null for any
 * @param name the workload's name, or null for any
 * @param image a substring of one of its container images, or null for any
 * @param reason a CamelCase word shown in the status, {@value #DEFAULT_REASON} when null
 * @param message the sentence shown in the status; null: {@code container image "<the matching image>" <reason>}
 */
public record WorkloadFault(String namespace, String name, String image, String reason, String message) {

    public static final String DEFAULT_REASON = "ImagePullBackOff";

    /** The API server's rule for a condition reason. */
    private static final Pattern REASON = Pattern.compile("[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?");

    public WorkloadFault {
        namespace = blankToNull(namespace);
        name = blankToNull(name);
        image = blankToNull(image);
        reason = blankToNull(reason) == null ? DEFAULT_REASON : reason.strip();
        message = blankToNull(message);
        if (!REASON.matcher(reason).matches()) {
            throw new IllegalArgumentException(
                    "reason must be a CamelCase word such as " + DEFAULT_REASON + ", was \"" + reason + "\"");
        }
    }

    /** Every workload of the cluster. */
    public static WorkloadFault all() {
        return new WorkloadFault(null, null, null, null, null);
    }

    /** The workload of this name in this namespace (of any kind); a null namespace matches any. */
    public static WorkloadFault named(String namespace, String name) {
        return new WorkloadFault(namespace, name, null, null, null);
    }

    /** Workloads one of whose container images contains {@code imageSubstring}, e.g. a broken version's tag. */
    public static WorkloadFault image(String imageSubstring) {
        if (blankToNull(imageSubstring) == null) {
            throw new IllegalArgumentException("image must not be empty");
        }
        return new WorkloadFault(null, null, imageSubstring, null, null);
    }

    /** The same matchers with another reason and message (null: the defaults). */
    public WorkloadFault because(String newReason, String newMessage) {
        return new WorkloadFault(namespace, name, image, newReason, newMessage);
    }

    /** Whether the two select the same workloads (reason and message aside). */
    public boolean sameMatchers(WorkloadFault other) {
        return Objects.equals(namespace, other.namespace)
                && Objects.equals(name, other.name)
                && Objects.equals(image, other.image);
    }

    public boolean matches(String workloadNamespace, String workloadName, Collection<String> images) {
        return (namespace == null || namespace.equals(workloadNamespace))
                && (name == null || name.equals(workloadName))
                && (image == null || images.stream().anyMatch(i -> i != null && i.contains(image)));
    }

    /** The message for a matching workload with these container images. */
    public String messageFor(Collection<String> images) {
        if (message != null) {
            return message;
        }
        String shown = images.stream()
                .filter(i -> i != null && (image == null || i.contains(image)))
                .findFirst()
                .orElse(image == null ? "" : image);
        return "container image \"" + shown + "\" " + reason;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
