package dev.kubeyard.rancher.client;

/** 409 AlreadyExists: an object of that name exists. With deterministic names, compare and treat as created. */
public final class RancherAlreadyExistsException extends RancherApiException {

    public RancherAlreadyExistsException(
            String method, String path, int status, String code, String rancherMessage, String fieldName) {
        super(method, path, status, code, rancherMessage, fieldName);
    }
}
