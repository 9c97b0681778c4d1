package dev.kubeyard.rancher.client;

/** 404 Not found, or the type is not visible to the caller. */
public final class RancherNotFoundException extends RancherApiException {

    public RancherNotFoundException(
            String method, String path, int status, String code, String rancherMessage, String fieldName) {
        super(method, path, status, code, rancherMessage, fieldName);
    }
}
