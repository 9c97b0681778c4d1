package dev.kubeyard.rancher.sim.store;

import java.time.Instant;

/**
 * A ClusterRegistrationToken ({@code <mgmtId>:<name>} in v3). Its command fields are filled from
 * {@code commandsAt} on.
 */
public record RegistrationTokenObject(
        String clusterId, String name, String uid, String token, Instant created, Instant commandsAt) {

    public String id() {
        return clusterId + ":" + name;
    }
}
