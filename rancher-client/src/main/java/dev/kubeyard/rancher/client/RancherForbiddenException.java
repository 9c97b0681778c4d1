package dev.kubeyard.rancher.client;

/** 403: the token's user may not do this (PermissionDenied or Forbidden). */
public final class RancherForbiddenException extends RancherApiException {

    public RancherForbiddenException(
            String method, String path, int status, String code, String rancherMessage, String fieldName) {
        super(method, path, status, code, rancherMessage, fieldName);
    }
}
