package dev.kubeyard.rancher.client.access;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The command that joins a user's own server to a cluster as a worker-only node: Rancher's {@code
 * nodeCommand} plus {@code --worker} and optional node name, addresses, labels and taints. Never etcd or
 * control plane. Values are shell-quoted; the command holds the token secret, so it goes to its owner
 * only and is never logged.
 */
public final class WorkerRegistration {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._/:=@,+-]+");

    private String nodeName;
    private String address;
    private String internalAddress;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final List<String> taints = new ArrayList<>();

    public WorkerRegistration nodeName(String name) {
        this.nodeName = name;
        return this;
    }

    public WorkerRegistration address(String publicAddress) {
        this.address = publicAddress;
        return this;
    }

    public WorkerRegistration internalAddress(String privateAddress) {
        this.internalAddress = privateAddress;
        return this;
    }

    public WorkerRegistration label(String key, String value) {
        labels.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
        return this;
    }

    /** @param effect NoSchedule, PreferNoSchedule or NoExecute */
    public WorkerRegistration taint(String key, String value, String effect) {
        taints.add(key + "=" + value + ":" + effect);
        return this;
    }

    /**
     * @throws IllegalStateException when the token's node command is not filled in yet
     */
    public String command(RegistrationToken token) {
        if (!token.isReady()) {
            throw new IllegalStateException(
                    "the registration token of " + token.clusterId() + " has no node command yet");
        }
        StringBuilder cmd = new StringBuilder(token.nodeCommand().strip()).append(" --worker");
        if (nodeName != null) {
            cmd.append(" --node-name ").append(quote(nodeName));
        }
        if (address != null) {
            cmd.append(" --address ").append(quote(address));
        }
        if (internalAddress != null) {
            cmd.append(" --internal-address ").append(quote(internalAddress));
        }
        labels.forEach((k, v) -> cmd.append(" --label ").append(quote(k + "=" + v)));
        taints.forEach(t -> cmd.append(" --taint ").append(quote(t)));
        return cmd.toString();
    }

    static String quote(String value) {
        if (SAFE.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
