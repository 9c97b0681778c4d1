package dev.kubeyard.rancher.client.access;

import dev.kubeyard.rancher.client.RancherToken;

/** A token just created: the only moment Rancher shows its secret. */
public record CreatedToken(ApiToken token, RancherToken secret) {

    @Override
    public String toString() {
        return "CreatedToken[" + token.id() + "]";
    }
}
