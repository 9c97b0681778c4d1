package dev.kubeyard.rancher.client.identity;

import dev.kubeyard.rancher.client.RancherToken;

/**
 * A token just minted for a user and one cluster: the only moment its secret is known. {@link #toString()} shows
 * the token's name, user and cluster, never the secret; hand {@link #secret()} to its owner only.
 */
public record UserToken(ExtToken token, RancherToken secret) {

    public String name() {
        return token.name();
    }

    public String userId() {
        return token.userId();
    }

    public String clusterId() {
        return token.clusterId().orElseThrow();
    }

    @Override
    public String toString() {
        return "UserToken[" + token.name() + ", user=" + token.userId() + ", cluster="
                + token.clusterId().orElse("") + "]";
    }
}
