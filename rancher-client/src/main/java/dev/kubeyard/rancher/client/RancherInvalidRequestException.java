package dev.kubeyard.rancher.client;

/** 400 or 422: Rancher (or an admission webhook) rejected the request's content. */
public final class RancherInvalidRequestException extends RancherApiException {

    public RancherInvalidRequestException(
            String method, String path, int status, String code, String rancherMessage, String fieldName) {
        super(method, path, status, code, rancherMessage, fieldName);
    }
}
