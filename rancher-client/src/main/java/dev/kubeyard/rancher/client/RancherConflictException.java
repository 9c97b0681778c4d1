package dev.kubeyard.rancher.client;

/** 409 Conflict: the object was modified since it was read (stale resourceVersion). Re-read and try again. */
public final class RancherConflictException extends RancherApiException {

    public RancherConflictException(
            String method, String path, int status, String code, String rancherMessage, String fieldName) {
        super(method, path, status, code, rancherMessage, fieldName);
    }
}
