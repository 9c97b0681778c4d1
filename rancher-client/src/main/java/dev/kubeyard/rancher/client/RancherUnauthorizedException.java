package dev.kubeyard.rancher.client;

/** 401: the token is missing, malformed, expired or disabled. */
public final class RancherUnauthorizedException extends RancherApiException {

    public RancherUnauthorizedException(
            String method, String path, int status, String code, String rancherMessage, String fieldName) {
        super(method, path, status, code, rancherMessage, fieldName);
    }
}
