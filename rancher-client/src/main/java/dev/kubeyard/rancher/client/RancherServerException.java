package dev.kubeyard.rancher.client;

/**
 * 5xx: Rancher failed, or it could not reach what it fronts (for the cluster proxy: {@code cluster agent
 * disconnected} is a 500, a cluster not provisioned yet a 503).
 */
public final class RancherServerException extends RancherApiException {

    public RancherServerException(
            String method, String path, int status, String code, String rancherMessage, String fieldName) {
        super(method, path, status, code, rancherMessage, fieldName);
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
