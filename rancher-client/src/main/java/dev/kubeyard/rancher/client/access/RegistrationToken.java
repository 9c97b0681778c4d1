package dev.kubeyard.rancher.client.access;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A v3 cluster registration token. Its commands embed the token secret; {@link #toString()} leaves them
 * out. Rancher fills the commands in shortly after creation and (2.15+) rotates the token, so read a
 * fresh one before registering a server.
 */
public record RegistrationToken(
        String id,
        String clusterId,
        String name,
        String state,
        String token,
        String manifestUrl,
        String command,
        String insecureCommand,
        String nodeCommand,
        String insecureNodeCommand,
        String windowsNodeCommand,
        String expiresAt,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public RegistrationToken {
        extra = extra == null ? new LinkedHashMap<>() : extra;
    }

    /** True once Rancher filled in the node command. */
    public boolean isReady() {
        return nodeCommand != null && !nodeCommand.isBlank();
    }

    @Override
    public String toString() {
        return "RegistrationToken[id=" + id + ", clusterId=" + clusterId + ", ready=" + isReady() + "]";
    }
}
