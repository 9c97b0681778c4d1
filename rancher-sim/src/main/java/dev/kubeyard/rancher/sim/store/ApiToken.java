package dev.kubeyard.rancher.sim.store;

import java.time.Instant;
import java.util.Map;

/**
 * A token the simulator minted: an ext token, a v3 token, a login session or a kubeconfig token. The secret is
 * returned once, when created.
 *
 * @param bearerName the part before {@code :} in a bearer header ({@code ext/token-abcde} for ext tokens)
 * @param kind {@code ext}, {@code ext-kubeconfig}, {@code v3}, {@code session} or {@code kubeconfig}
 * @param userId the Rancher user it authenticates as ({@code user-sim01} is the simulator's admin)
 * @param clusterId the only cluster it is valid for, or null for all of Rancher
 * @param ttlMillis 0 when it never expires
 */
public record ApiToken(
        String name,
        String bearerName,
        String secret,
        String kind,
        String userId,
        String uid,
        String description,
        String clusterId,
        long ttlMillis,
        Instant created,
        long resourceVersion,
        Map<String, String> labels) {

    public Instant expiresAt() {
        return ttlMillis > 0 ? created.plusMillis(ttlMillis) : null;
    }

    public boolean expiredAt(Instant now) {
        Instant at = expiresAt();
        return at != null && !at.isAfter(now);
    }
}
