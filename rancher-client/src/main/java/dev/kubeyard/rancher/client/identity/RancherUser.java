package dev.kubeyard.rancher.client.identity;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.kubeyard.rancher.client.model.ObjectMeta;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code management.cattle.io/v3} User as Steve serves it. Its fields sit at the top level, not under a spec;
 * keys this record does not name (status, and whatever a newer Rancher adds) survive a round trip in {@code
 * extra}. It carries no password: Kubeyard never keeps one.
 */
public record RancherUser(
        String apiVersion,
        String kind,
        ObjectMeta metadata,
        String username,
        String displayName,
        String description,
        Boolean enabled,
        Boolean mustChangePassword,
        List<String> principalIds,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public static final String STEVE_TYPE = "management.cattle.io.user";
    public static final String COLLECTION = "management.cattle.io.users";

    public RancherUser {
        principalIds = principalIds == null ? List.of() : principalIds;
        extra = extra == null ? new LinkedHashMap<>() : extra;
    }

    /**
     * A new user for {@link Users#create} or {@link Users#ensure}.
     *
     * @param name the Kubernetes name, which is also the user id (see {@link #nameFor})
     * @param username the login name, unique in Rancher
     */
    public static RancherUser of(String name, String username, String displayName, Map<String, String> labels) {
        Objects.requireNonNull(username, "username");
        return new RancherUser(
                "management.cattle.io/v3",
                "User",
                ObjectMeta.named(null, name).withLabels(Map.copyOf(labels)),
                username,
                displayName,
                null,
                true,
                false,
                null,
                null);
    }

    /**
     * A deterministic user id for a platform user, {@code u-ky-} plus 32 hex characters (128 bits, so that no chosen name can collide with another) of a SHA-256 of its
     * name: a valid Kubernetes name whatever the platform name holds, and the same on every retry, so that a
     * repeated create answers AlreadyExists instead of making a second user.
     */
    public static String nameFor(String platformUser) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(platformUser.getBytes(StandardCharsets.UTF_8));
            return "u-ky-" + HexFormat.of().formatHex(hash).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** The user id, as bindings and tokens name it. */
    public String id() {
        return metadata.name();
    }

    public boolean isEnabled() {
        return enabled == null || enabled;
    }
}
